// The baseline: a minimal JavaScript worker that forwards to the upstream with the token.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const target = env.FRONTPAY_API_BASE + url.pathname.replace(/^\/api\/v1/, '') + url.search;
    const headers = { authorization: `Bearer ${env.FRONTPAY_TOKEN}`, accept: 'application/json' };
    let body;
    if (request.method === 'POST') {
      headers['content-type'] = 'application/json';
      body = await request.text();
    }
    const r = await fetch(target, { method: request.method, headers, body });
    return new Response(await r.text(), { status: r.status, headers: { 'content-type': 'application/json' } });
  },
};
