// Outlines the elements the agent was shown, each labelled with its index, in an overlay the screenshot then
// captures; called again with show=false to take the overlay away. The overlay lies outside <body> (whose text the
// agent reads), lets every click through, and is inline-styled with !important so page CSS cannot hide or move
// it. Runs in the page: nothing here may throw on odd markup.
(opts) => {
  const ID = 'tabrunner-highlights';
  const old = document.getElementById(ID);
  if (old) old.remove();
  if (!opts.show) return 0;
  // browser-use's palette: neighbouring elements get different colours
  const COLOURS = ['#FF0000', '#00FF00', '#0000FF', '#FFA500', '#800080', '#008080', '#FF69B4', '#4B0082',
      '#FF4500', '#2E8B57', '#DC143C', '#4682B4'];
  const style = (el, props) => {
    for (const [k, v] of Object.entries(props)) el.style.setProperty(k, v, 'important');
  };
  const layer = document.createElement('div');
  layer.id = ID;
  style(layer, { position: 'fixed', top: '0', left: '0', width: '0', height: '0', margin: '0', padding: '0',
      border: 'none', 'pointer-events': 'none', 'z-index': '2147483647', display: 'block', overflow: 'visible' });
  let drawn = 0;
  for (const index of opts.indices) {
    const el = document.querySelector('[data-tabrunner-index="' + index + '"]');
    if (!el) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0 || r.bottom < 0 || r.top > window.innerHeight
        || r.right < 0 || r.left > window.innerWidth) continue;
    const colour = COLOURS[index % COLOURS.length];
    const box = document.createElement('div');
    style(box, { position: 'fixed', top: (r.top - 2) + 'px', left: (r.left - 2) + 'px',
        width: (r.width + 4) + 'px', height: (r.height + 4) + 'px', border: '2px solid ' + colour,
        'box-sizing': 'border-box', background: colour + '1A', margin: '0', padding: '0',
        'pointer-events': 'none', display: 'block' });
    const label = document.createElement('div');
    label.textContent = String(index);
    // inside the box's top-right corner, or above the box when the element is too small to hold it
    const above = r.height < 20;
    style(label, { position: 'fixed', top: (above ? Math.max(0, r.top - 18) : r.top) + 'px',
        left: Math.max(0, r.right - 20) + 'px', 'min-width': '14px', padding: '1px 3px', margin: '0',
        background: colour, color: '#FFFFFF', font: 'bold 12px/14px sans-serif', 'text-align': 'center',
        'border-radius': '3px', 'pointer-events': 'none', display: 'block', 'white-space': 'nowrap' });
    layer.appendChild(box);
    layer.appendChild(label);
    drawn++;
  }
  // on <html>, not <body>: the page text the agent reads is body.innerText
  document.documentElement.appendChild(layer);
  return drawn;
}
