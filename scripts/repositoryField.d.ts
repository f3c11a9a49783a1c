/** See repositoryField.js. */
export function repositoryField(remote: string | undefined): { type: "git"; url: string } | undefined;
