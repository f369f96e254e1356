import { runCli } from "./cli.ts";

// The armsledger command as the operator runs it. A failed command exits at once (a server it
// started may still hold the event loop); a finished one leaves when its work is done, with the
// code its report set.
const code = await runCli(process.argv.slice(2));
if (code !== 0) process.exit(code);
