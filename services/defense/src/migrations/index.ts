import { DefenseSchema1795498809317 } from "./0001-defense-schema.js";
import { MutualDefense1795700000000 } from "./0002-mutual-defense.js";
import { TroubleStaysSecret1796000000000 } from "./0003-trouble-stays-secret.js";
import { RespondersReadTheirOwn1796100000000 } from "./0004-responders-read-their-own.js";
import { DefenseInboxReadMarks1796500000100 } from "./0005-inbox-read-marks.js";
import { OwnCommitmentsWithdrawn1796600000000 } from "./0006-own-commitments-withdrawn.js";

/** defense's migrations in the order they run, for its service definition. */
export const defenseMigrations = [
  DefenseSchema1795498809317,
  MutualDefense1795700000000,
  TroubleStaysSecret1796000000000,
  RespondersReadTheirOwn1796100000000,
  DefenseInboxReadMarks1796500000100,
  OwnCommitmentsWithdrawn1796600000000,
];
