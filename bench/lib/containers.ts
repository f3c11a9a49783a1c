import { docker } from "../../test/support/docker/engine";

/** Docker's own timestamps: container created -> end of its first passing healthcheck, in seconds. */
export async function createToHealthy(id: string): Promise<number> {
    const info = await docker().getContainer(id).inspect();
    const firstPass = (info.State.Health?.Log ?? []).find((l) => l.ExitCode === 0);
    if (!firstPass) throw new Error(`container ${id} never passed its healthcheck`);
    return (Date.parse(firstPass.End) - Date.parse(info.Created)) / 1000;
}
