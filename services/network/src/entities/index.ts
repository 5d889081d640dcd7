import { ApiKeyRow } from "./api-key.js";
import { CircleRow } from "./circle.js";
import { InvitationRow } from "./invitation.js";
import { MemberRow } from "./member.js";
import { PersonRow } from "./person.js";
import { RefreshTokenRow } from "./refresh-token.js";

/** Every table network maps, for its service definition. */
export const networkEntities = [CircleRow, PersonRow, MemberRow, InvitationRow, ApiKeyRow, RefreshTokenRow];
