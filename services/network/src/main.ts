import { createLogger, runAsMain } from "@rhizome/kit";
import { startNetworkService } from "./service.js";

runAsMain(startNetworkService, createLogger("network"));
