#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png (128×128, the size the Marketplace and the Extensions view
// use) with resvg, so the committed PNG can always be remade from the committed SVG:
//   node scripts/render-icon.js
'use strict';

const fs = require('fs');
const path = require('path');
const { Resvg } = require('@resvg/resvg-js');

const SIZE = 128;
const media = path.resolve(__dirname, '..', 'media');
const svg = fs.readFileSync(path.join(media, 'icon.svg'), 'utf8');
const png = new Resvg(svg, { fitTo: { mode: 'width', value: SIZE }, background: 'rgba(0,0,0,0)' }).render();
if (png.width !== SIZE || png.height !== SIZE)
  throw new Error(`rendered ${png.width}×${png.height}, not ${SIZE}×${SIZE}`);
fs.writeFileSync(path.join(media, 'icon.png'), png.asPng());
console.log(`media/icon.png: ${png.width}×${png.height}`);
