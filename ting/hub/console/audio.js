// Hold-to-talk: capture the microphone as PCM with Web Audio, and encode it as a 16 kHz,
// 16-bit mono WAV on release. Playing the hub's spoken replies.

export const TARGET_RATE = 16000;

export class MicError extends Error {}

// Why the microphone cannot be used, in words for people.
function micMessage(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Microphone access was refused. Allow it in the browser's site settings.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone was found. Plug one in, or type instead.";
    case "NotReadableError":
      return "The microphone is busy in another application.";
    default:
      return `The microphone could not start: ${error && error.message ? error.message : error}`;
  }
}

export class Recorder {
  constructor() {
    this.context = null;
    this.stream = null;
    this.node = null;
    this.source = null;
    this.chunks = [];
    this.rate = 48000;
  }

  async start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new MicError(
        "This page cannot use the microphone: open the console over https or on localhost.");
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
      });
    } catch (error) {
      throw new MicError(micMessage(error));
    }
    this.context = new AudioContext();
    if (this.context.state === "suspended") await this.context.resume();
    this.rate = this.context.sampleRate;
    this.source = this.context.createMediaStreamSource(this.stream);
    this.chunks = [];
    if (this.context.audioWorklet) {
      await this.context.audioWorklet.addModule(new URL("recorder-worklet.js", import.meta.url));
      this.node = new AudioWorkletNode(this.context, "ting-recorder");
      this.node.port.onmessage = (event) => this.chunks.push(event.data);
    } else {
      // Older browsers: the deprecated ScriptProcessor does the same on the main thread.
      this.node = this.context.createScriptProcessor(4096, 1, 1);
      this.node.onaudioprocess = (event) =>
        this.chunks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
    }
    this.source.connect(this.node);
    this.node.connect(this.context.destination); // keeps the graph pulling; outputs silence
  }

  // Stop and return the recording as a WAV Blob, with its length in seconds.
  async stop() {
    if (this.node && this.node.port) {
      // Ask the worklet for what it still holds, then wait for that last message.
      const flushed = new Promise((resolve) => {
        const previous = this.node.port.onmessage;
        this.node.port.onmessage = (event) => {
          if (event.data === "flushed") resolve();
          else previous(event);
        };
        setTimeout(resolve, 300);
      });
      this.node.port.postMessage("flush");
      await flushed;
    }
    this.release();
    const samples = concat(this.chunks);
    this.chunks = [];
    const pcm = resample(samples, this.rate, TARGET_RATE);
    return { wav: encodeWav(pcm, TARGET_RATE), seconds: pcm.length / TARGET_RATE };
  }

  release() {
    if (this.source) this.source.disconnect();
    if (this.node) this.node.disconnect();
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    if (this.context) this.context.close();
    this.source = this.node = this.stream = this.context = null;
  }
}

function concat(chunks) {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

// Down-sample by averaging each output sample's span of input (a box filter: enough
// against aliasing for speech recognition, and no library needed).
export function resample(samples, fromRate, toRate) {
  if (fromRate === toRate) return samples;
  const ratio = fromRate / toRate;
  const length = Math.floor(samples.length / ratio);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const start = Math.floor(i * ratio);
    const end = Math.max(start + 1, Math.min(samples.length, Math.floor((i + 1) * ratio)));
    let sum = 0;
    for (let j = start; j < end; j++) sum += samples[j];
    out[i] = sum / (end - start);
  }
  return out;
}

// 16-bit little-endian PCM WAV, mono.
export function encodeWav(samples, rate) {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (offset, value) => {
    for (let i = 0; i < value.length; i++) view.setUint8(offset + i, value.charCodeAt(i));
  };
  text(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // bytes per second
  view.setUint16(32, 2, true); // bytes per frame
  view.setUint16(34, 16, true); // bits per sample
  text(36, "data");
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([buffer], { type: "audio/wav" });
}

// Play base64 WAV through the page's <audio> element; resolves when playback starts.
let currentUrl = null;
export async function playWav(audio, base64) {
  if (!base64) return;
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  if (currentUrl) URL.revokeObjectURL(currentUrl);
  currentUrl = URL.createObjectURL(new Blob([bytes], { type: "audio/wav" }));
  audio.src = currentUrl;
  try {
    await audio.play();
  } catch {
    // Autoplay refused (no gesture yet): the reply is still shown as text.
  }
}
