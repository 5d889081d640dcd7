import { createLogger, runAsMain, startService } from "@rhizome/kit";
import { toolsService } from "./service.js";

runAsMain(() => startService(toolsService), createLogger(toolsService.name));
