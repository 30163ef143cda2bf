// Timing GETs through the proxy, for the scaling benches (index-scaling, report-scaling,
// book-scaling).

/**
 * One GET of `path` with `headers` (it must answer 200, else it throws): the time in ms and
 * the answer's `data`.
 */
export async function getTimed(proxy, headers, path) {
  const t0 = performance.now();
  const response = await proxy.fetch(path, { headers });
  const body = await response.json();
  const ms = performance.now() - t0;
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
  return { ms, data: body.data };
}

/**
 * `runs` GETs of `path` with `headers` (each must answer 200, else it throws): the median and
 * the slowest time in ms, and the last answer's `data`.
 */
export async function timeGet(proxy, headers, path, runs) {
  const times = [];
  let data;
  for (let r = 0; r < runs; r++) {
    const one = await getTimed(proxy, headers, path);
    times.push(one.ms);
    data = one.data;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(runs / 2)], p95: times[runs - 1], data };
}

/** The median, the 95th percentile (nearest rank) and the largest of `times`. */
export function spread(times) {
  if (times.length === 0) throw new Error('no samples');
  const sorted = [...times].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return { p50: rank(0.5), p95: rank(0.95), max: sorted[sorted.length - 1], n: sorted.length };
}

/** `p50 12.3 ms, p95 20.1 ms, max 31.0 ms (n 60; p50 within, p95 within the 50 ms goal)`. */
export function againstGoal(s, goalMs) {
  const verdict = (ms) => (ms <= goalMs ? 'within' : 'OVER');
  return `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms `
    + `(n ${s.n}; p50 ${verdict(s.p50)}, p95 ${verdict(s.p95)} the ${goalMs} ms goal)`;
}
