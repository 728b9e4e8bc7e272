export { ShareButton, SharedNotice, hhmmss } from './Share';
export { decodeShare, encodeShare, hasShare, shareUrl, type DecodeResult, type SharePayload } from './codec';
