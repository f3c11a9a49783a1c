// Every benchmark, one after the other (never concurrently: they share two cores), then the tables.
//   npm run bench
import { main as engine } from "./engine";
import { main as healthcheck } from "./healthcheck";
import { main as handshake } from "./handshake";
import { main as program } from "./program";
import { main as serving } from "./serving";

(async () => {
    await serving();
    await handshake();
    await program();
    await engine();
    await healthcheck();
    process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
