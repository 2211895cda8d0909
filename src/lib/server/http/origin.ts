/** Where links in e-mails, PDFs and QR codes point: ORIGIN (as for adapter-node) or the local server. */
export function publicOrigin(env: NodeJS.ProcessEnv = process.env): string {
	return (env.ORIGIN || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, '');
}
