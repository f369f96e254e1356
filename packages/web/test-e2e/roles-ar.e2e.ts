import { roleFlows } from "./role-flows.ts";

roleFlows("ar");
