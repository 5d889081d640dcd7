import { createLogger, runAsMain } from "@rhizome/kit";
import { startBarterService } from "./service.js";

runAsMain(startBarterService, createLogger("barter"));
