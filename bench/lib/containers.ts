import { docker } from "../../test/support/docker/engine";

/** Docker's own timestamps: container created -> end of its first passing healthcheck, in seconds. */
export async function createToHealthy(id: string): Promise<number> {
    const info = await docker().getContainer(id).inspect();
    const firstPass = (info.State.Health?.Log ?? []).find((l) => l.ExitCode === 0);
    if (!firstPass) throw new Error(`container ${id} never passed its healthcheck`);
    return (Date.parse(firstPass.End) - Date.parse(info.Created)) / 1000;
}

/**
 * How long an old and a new key host ran side by side in a replacement: from the new container's
 * `create` to the old one's `die`, from Docker's event log (the old container is gone by then).
 */
export async function replacementOverlap(oldId: string, newId: string, since: Date, until: Date): Promise<number> {
    const stream = await docker().getEvents({
        since: Math.floor(since.getTime() / 1000), until: Math.ceil(until.getTime() / 1000) + 1,
        filters: JSON.stringify({ type: ["container"], container: [oldId, newId] }),
    });
    const text = await new Promise<string>((resolve, reject) => {
        let out = "";
        stream.on("data", (d: Buffer) => { out += d.toString(); });
        stream.on("end", () => resolve(out));
        stream.on("error", reject);
    });
    const events = text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { id: string; Action: string; timeNano: number });
    const at = (id: string, action: string) => events.find((e) => e.id === id && e.Action === action)?.timeNano;
    const created = at(newId, "create");
    const died = at(oldId, "die");
    if (created === undefined || died === undefined) throw new Error(`no create/die events for ${newId}/${oldId}: ${text.slice(0, 300)}`);
    return (died - created) / 1e9;
}
