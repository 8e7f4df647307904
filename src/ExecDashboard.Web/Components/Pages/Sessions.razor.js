// Sends the chosen file as the request body to the import API (same cookie as the page), so a
// large export or audit log streams to the server instead of passing through the circuit. The
// X-ExecDashboard-Request header is the same-origin proof: a cross-site page cannot send it
// without a CORS preflight, which the dashboard never grants.
export async function upload(input, name) {
    const file = input.files && input.files[0];
    if (!file) {
        return { ok: false, status: 0, message: 'Choose a session export (JSON) or an audit log first.', sessionId: 0, skipped: '' };
    }

    const query = name ? `?name=${encodeURIComponent(name)}` : '';
    let response;
    try {
        response = await fetch(`api/sessions/import${query}`, {
            method: 'POST',
            body: file,
            headers: { 'Content-Type': 'application/octet-stream', 'X-ExecDashboard-Request': '1' },
            credentials: 'same-origin',
        });
    } catch (e) {
        return { ok: false, status: 0, message: `The upload failed: ${e.message}`, sessionId: 0, skipped: '' };
    }

    let body = null;
    try {
        body = await response.json();
    } catch {
        // Not JSON: the status says enough.
    }

    if (!response.ok) {
        const why = body && body.error ? body.error : `The server answered ${response.status}.`;
        return { ok: false, status: response.status, message: why, sessionId: 0, skipped: '' };
    }

    input.value = '';
    const skipped = body && body.skipped ? body.skipped.summary : '';
    return { ok: true, status: response.status, message: '', sessionId: body ? body.id : 0, skipped: skipped || '' };
}
