import { createLogger, runAsMain, startService } from "@rhizome/kit";
import { defenseService } from "./service.js";

runAsMain(() => startService(defenseService), createLogger(defenseService.name));
