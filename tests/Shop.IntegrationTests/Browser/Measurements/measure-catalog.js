// Time to first byte and to a fully rendered catalog page in headless Debian Chromium.
// usage: node measure-catalog.js <web url> [samples]
const { chromium } = require(process.env.PW_PACKAGE);
(async () => {
  const url = process.argv[2], samples = +(process.argv[3] || 20), warm = 3;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const page = await (await browser.newContext()).newPage();
  const ttfb = [], grid = [], load = [];
  for (let i = 0; i < warm + samples; i++) {
    await page.goto(url, { waitUntil: 'commit' });
    // In-page clock (ms since this navigation started), checked every animation frame.
    const g = await (await page.waitForFunction(() => {
      const cards = document.querySelectorAll('[data-testid=product-card] img');
      return cards.length > 0 && [...cards].every(i => i.complete && i.naturalWidth > 0) ? performance.now() : null;
    }, null, { polling: 'raf' })).jsonValue();
    await page.waitForLoadState('load');
    await page.waitForFunction(() => [...document.images].every(i => i.complete));
    const n = await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0]; return { ttfb: n.responseStart - n.requestStart, load: n.loadEventEnd }; });
    if (i >= warm) { ttfb.push(n.ttfb); grid.push(g); load.push(n.load); }
  }
  const stat = a => { const s = [...a].sort((x, y) => x - y); return `median ${s[Math.floor(s.length / 2)].toFixed(1)} ms, p90 ${s[Math.ceil(0.9 * s.length) - 1].toFixed(1)} ms, min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)}`; };
  console.log(`samples: ${samples} (after ${warm} warm-ups), ${url}`);
  console.log(`TTFB (responseStart-requestStart): ${stat(ttfb)}`);
  console.log(`navigation start -> product grid rendered with every picture loaded: ${stat(grid)}`);
  console.log(`navigation -> load event (all images, CSS, blazor.web.js): ${stat(load)}`);
  await browser.close();
})();
