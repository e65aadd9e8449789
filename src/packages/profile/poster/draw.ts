/**
 * Draws a poster on any 2D canvas context (weapp's offscreen canvas and the browser's share the web API):
 * a picture, a title, a line of price or rules, the sharer's invite code and a QR code that opens the app with it.
 */
import { create } from 'qrcode/lib/core/qrcode';

export interface PosterContent {
  heading: string;
  title: string;
  line: string;
  inviteCode: string;
  /** What the QR opens (a link carrying the inviter); null draws no QR (then the invite code is the way in). */
  link: string | null;
}

/** The subset of CanvasRenderingContext2D used here. */
export interface Ctx2D {
  fillStyle: string | unknown;
  font: string;
  textAlign: string;
  textBaseline: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number, maxWidth?: number): void;
  drawImage(image: unknown, x: number, y: number, w: number, h: number): void;
  measureText(text: string): { width: number };
}

export const POSTER_WIDTH = 600;
export const POSTER_HEIGHT = 960;

/** ASCII bytes (links are percent-encoded), so the encoder needs no TextEncoder (absent in older WeChat runtimes). */
function bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

export function qrModules(link: string): { size: number; dark: (row: number, col: number) => boolean } {
  const { modules } = create([{ data: bytes(link), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (r, c) => Boolean(modules.get(r, c)) };
}

function drawQr(ctx: Ctx2D, link: string, x: number, y: number, side: number) {
  const qr = qrModules(link);
  const quiet = 4; // the standard quiet zone, so scanners find the code next to the poster's text
  const cell = side / (qr.size + quiet * 2);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(x, y, side, side);
  ctx.fillStyle = '#111111';
  for (let r = 0; r < qr.size; r += 1) {
    for (let c = 0; c < qr.size; c += 1) {
      if (qr.dark(r, c)) ctx.fillRect(x + (c + quiet) * cell, y + (r + quiet) * cell, Math.ceil(cell), Math.ceil(cell));
    }
  }
}

/** Breaks text into at most `maxLines` lines that fit `width`. */
function wrap(ctx: Ctx2D, text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const ch of Array.from(text)) {
    if (ctx.measureText(current + ch).width > width && current) {
      lines.push(current);
      current = ch;
      if (lines.length === maxLines) break;
    } else current += ch;
  }
  if (lines.length < maxLines && current) lines.push(current);
  return lines;
}

/** `code`: the loaded 小程序码 image, drawn where the link's QR would go (and instead of it). */
export function drawPoster(ctx: Ctx2D, content: PosterContent, picture: unknown | null, code: unknown | null = null) {
  const W = POSTER_WIDTH;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, POSTER_HEIGHT);
  ctx.fillStyle = '#e4393c';
  ctx.fillRect(0, 0, W, 96);
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.font = 'bold 34px sans-serif';
  ctx.fillText(content.heading, 32, 48);

  const pic = { x: 60, y: 120, side: W - 120 };
  if (picture) ctx.drawImage(picture, pic.x, pic.y, pic.side, pic.side);
  else {
    // No picture (the invite poster): the app's name and the sharer's code, large.
    ctx.fillStyle = '#fff1f0';
    ctx.fillRect(pic.x, pic.y, pic.side, pic.side);
    ctx.textAlign = 'center';
    ctx.fillStyle = '#e4393c';
    ctx.font = 'bold 96px sans-serif';
    ctx.fillText('推三返一', W / 2, pic.y + pic.side / 2 - 60);
    ctx.fillStyle = '#666666';
    ctx.font = '30px sans-serif';
    ctx.fillText('我的邀请码', W / 2, pic.y + pic.side / 2 + 40);
    ctx.fillStyle = '#222222';
    ctx.font = 'bold 64px sans-serif';
    ctx.fillText(content.inviteCode, W / 2, pic.y + pic.side / 2 + 110);
    ctx.textAlign = 'left';
  }

  let y = pic.y + pic.side + 44;
  ctx.fillStyle = '#222222';
  ctx.font = 'bold 30px sans-serif';
  for (const line of wrap(ctx, content.title, W - 64, 2)) {
    ctx.fillText(line, 32, y);
    y += 42;
  }
  ctx.fillStyle = '#e4393c';
  ctx.font = 'bold 28px sans-serif';
  ctx.fillText(content.line, 32, y + 4, W - 64);

  const qrSide = 180;
  const qrY = POSTER_HEIGHT - qrSide - 32;
  const scannable = Boolean(code || content.link);
  if (code) ctx.drawImage(code, W - 32 - qrSide, qrY, qrSide, qrSide);
  else if (content.link) drawQr(ctx, content.link, W - 32 - qrSide, qrY, qrSide);
  ctx.fillStyle = '#666666';
  ctx.font = '24px sans-serif';
  ctx.fillText(scannable ? '扫码打开，一起来看看' : '打开“推三返一”小程序，填写邀请码', 32, qrY + 40, W - 64 - (scannable ? qrSide + 16 : 0));
  ctx.fillStyle = '#222222';
  ctx.font = 'bold 40px sans-serif';
  ctx.fillText(`邀请码 ${content.inviteCode}`, 32, qrY + 100);
}
