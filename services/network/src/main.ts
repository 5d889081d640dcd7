import { createLogger, runAsMain, startService } from "@rhizome/kit";
import { networkService } from "./service.js";

runAsMain(() => startService(networkService), createLogger(networkService.name));
