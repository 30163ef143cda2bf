// Timing GETs through the proxy, for the scaling benches (index-scaling, report-scaling).

/**
 * `runs` GETs of `path` with `headers` (each must answer 200, else it throws): the median and
 * the slowest time in ms, and the last answer's `data`.
 */
export async function timeGet(proxy, headers, path, runs) {
  const times = [];
  let data;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const response = await proxy.fetch(path, { headers });
    const body = await response.json();
    times.push(performance.now() - t0);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
    data = body.data;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(runs / 2)], p95: times[runs - 1], data };
}
