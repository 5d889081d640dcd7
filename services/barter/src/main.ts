import { createLogger, runAsMain, startService } from "@rhizome/kit";
import { barterService } from "./service.js";

runAsMain(() => startService(barterService), createLogger(barterService.name));
