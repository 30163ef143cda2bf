// A spreadsheet of whole orders for the batch benches (issue 19), in the nb layout a
// spreadsheet gives (`;`, decimal comma, UTF-8 with a BOM): one payment link per row, each to its
// own customer (own phone and email), row i costing 100 + i,50 kr with 25 % VAT. The same
// columns as worker/tests/batches.test.mjs.
const HEADER = 'ordrereferanse;kundetype;navn;telefon;epost;gateadresse;postnummer;poststed;produkt;antall;enhetspris;mva_prosent';

/** `n` orders; the rows numbered in `bad` (from 1) have a broken email, so the preview refuses them. */
export function ordersSheet(n, bad = []) {
  const rows = [];
  for (let i = 1; i <= n; i++) {
    const email = bad.includes(i) ? 'not-an-email' : `kunde${i}@example.no`;
    const phone = `4${String(1_000_000 + i).padStart(7, '0')}`;
    rows.push(`R${i};privat;Kunde ${i};${phone};${email};Gate ${i};4313;Sandnes;Kontingent;1;${100 + i},50;25`);
  }
  return `\ufeff${HEADER}\r\n${rows.join('\r\n')}\r\n`;
}
