import { ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';
import type { SharedFile } from '../../protocol/social.js';
import { SHARED_FILE_MAX_BYTES, SHARED_FILE_TYPES } from '../../protocol/social-constants.js';
import type { ClassChannel } from './class-model.js';
import { FitError } from './fit-error.js';

/** The `accept` of the coach's file picker. */
export const SHARED_FILE_ACCEPT = '.pdf,image/png,image/jpeg,image/webp';

export interface UploadProgress {
  name: string;
  loaded: number;
  total: number;
}

export interface FilesState {
  /** Shared files, newest first, each once. */
  files: readonly SharedFile[];
  /** The first `files:list` has answered. */
  loaded: boolean;
  /** The coach's upload on its way. */
  upload: UploadProgress | undefined;
  /** Why the last upload failed (a stable `problem` the element words). */
  notice: FilesNotice | undefined;
  /** Files shared while the list was not on screen. */
  unseen: number;
}

/**
 * Why a file was not shared, as stable names the element words (`files.error.<problem>`; English
 * as these were always worded). `failed`: anything else, with the server's `message` or `status`.
 */
export type FilesProblem = 'type' | 'empty' | 'too_large' | 'forbidden' | 'unreachable' | 'expired' | 'notJoined' | 'failed';

/** A refusal: the error code, the server's message (may be empty) and the problem by name. */
export interface FilesNotice extends ErrorBody {
  problem: FilesProblem;
  /** The picked file, when the check before sending refused it. */
  file?: { name: string; size: number } | undefined;
  /** The HTTP status of a refusal without an error body. */
  status?: number | undefined;
}

/** Where to send an upload and as whom. */
export interface FilesTarget {
  server: string;
  classId: string;
  token: string;
}

export interface UploadRequest {
  url: string;
  token: string;
  body: Blob;
  onProgress(loaded: number, total: number): void;
}

/** Sends the bytes; resolves with the HTTP status and the parsed JSON body (status 0: no answer). */
export type Uploader = (req: UploadRequest) => Promise<{ status: number; body: unknown }>;

export interface FilesOptions {
  uploader?: Uploader;
  now?: () => number;
  /** A link is refreshed this long before it expires. */
  refreshAheadMs?: number;
  /** A file new here arrived live or from our own upload (not from a list load). */
  onNew?: (file: SharedFile) => void;
}

/** A plain `{ name, size, type }`: a File, or its description. */
export interface FileLike {
  name: string;
  size: number;
  type: string;
}

const MB = 1024 * 1024;
const EXTENSION_TYPES: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' };

/** The type a picked file will be shared as (by its MIME type, or its extension when the browser gives none). */
export function sharedTypeOf(file: FileLike): string | undefined {
  const type = file.type?.toLowerCase();
  if ((SHARED_FILE_TYPES as readonly string[]).includes(type)) return type;
  if (type) return undefined;
  return EXTENSION_TYPES[/\.([a-z0-9]+)$/i.exec(file.name ?? '')?.[1]?.toLowerCase() ?? ''];
}

/** Checks a file before it is sent: the server checks again (by its bytes). */
export function precheckFile(file: FileLike): FilesNotice | undefined {
  if (!sharedTypeOf(file)) return { code: ErrorCode.UnsupportedMediaType, message: '', problem: 'type' };
  if (!(file.size > 0)) return { code: ErrorCode.BadRequest, message: '', problem: 'empty' };
  if (file.size > SHARED_FILE_MAX_BYTES) return { code: ErrorCode.PayloadTooLarge, message: '', problem: 'too_large', file: { name: file.name, size: file.size } };
  return undefined;
}

/** An upload failure as a notice: the codes with words of their own get a problem name. */
export function filesNotice(err: ErrorBody, status?: number): FilesNotice {
  const problem = ({
    [ErrorCode.UnsupportedMediaType]: 'type',
    [ErrorCode.PayloadTooLarge]: 'too_large',
    [ErrorCode.Forbidden]: 'forbidden',
    [ErrorCode.ServerUnreachable]: 'unreachable',
    [ErrorCode.TokenExpired]: 'expired',
  } as Partial<Record<string, FilesProblem>>)[err.code];
  return { code: err.code, message: err.message, problem: problem ?? 'failed', status };
}

/** "820 B", "14 KB", "2.4 MB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  if (n < MB) return `${Math.round(n / 1024)} KB`;
  return `${(n / MB).toFixed(n < 10 * MB ? 1 : 0).replace(/\.0$/, '')} MB`;
}

/** "PDF", "PNG", "JPEG", "WebP". */
export function fileKind(contentType: string): string {
  return ({ 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP' } as Record<string, string>)[contentType] ?? contentType;
}

/** The browser's upload with progress (fetch has no upload progress). */
export const xhrUploader: Uploader = ({ url, token, body, onProgress }) =>
  new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', body.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : body.size);
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = undefined;
      }
      resolve({ status: xhr.status, body: parsed });
    };
    xhr.onerror = () => resolve({ status: 0, body: undefined });
    xhr.onabort = () => resolve({ status: 0, body: undefined });
    xhr.send(body);
  });

/**
 * Files the coach shares with the class, DOM-free: the list (each file once, newest first) from
 * `files:list` and `file:shared`; links resolved against the server and refreshed before they
 * expire; the coach's upload with a pre-check, progress and refusals by stable name (the element words them).
 */
export class FilesModel {
  private s: FilesState = { files: [], loaded: false, upload: undefined, notice: undefined, unseen: 0 };
  private channel: ClassChannel | undefined;
  private target: FilesTarget | undefined;
  private visible = true;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> | undefined;
  private readonly uploader: Uploader;
  private readonly now: () => number;
  private readonly refreshAheadMs: number;
  private readonly onNew: ((file: SharedFile) => void) | undefined;

  constructor(
    private readonly changed: () => void,
    options: FilesOptions = {},
  ) {
    this.uploader = options.uploader ?? xhrUploader;
    this.now = options.now ?? (() => Date.now());
    this.refreshAheadMs = options.refreshAheadMs ?? 60_000;
    this.onNew = options.onNew;
  }

  get state(): FilesState {
    return this.s;
  }

  private set(patch: Partial<FilesState>): void {
    this.s = { ...this.s, ...patch };
    this.changed();
  }

  /** Connects to a joined seat (again after each re-join); `undefined` detaches and stops refreshing. */
  attach(channel: ClassChannel | undefined, target?: FilesTarget): void {
    this.channel = channel;
    if (target) this.target = target;
    if (!channel) this.stopRefresh();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.s.unseen) this.set({ unseen: 0 });
  }

  /** The list with fresh links: after joining, after a re-join, and when a link has expired. */
  load(): Promise<void> {
    this.loading ??= this.call('files:list', {})
      .then((answer) => {
        this.set({ files: merge([], Array.isArray(answer?.files) ? answer.files : []), loaded: true });
        this.scheduleRefresh();
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** A `file:shared` notification (or the upload's answer). Returns true when the file is new here. */
  onShared(file: SharedFile | undefined): boolean {
    if (!file || typeof file.id !== 'string') return false;
    const isNew = !this.s.files.some((f) => f.id === file.id);
    this.set({ files: merge(this.s.files, [file]), unseen: isNew && !this.visible ? this.s.unseen + 1 : this.s.unseen });
    this.scheduleRefresh();
    if (isNew) this.onNew?.(file);
    return isNew;
  }

  /** The link as an absolute URL on the class server. */
  href(file: Pick<SharedFile, 'url'>): string {
    try {
      return new URL(file.url, this.target?.server || globalThis.location?.href).href;
    } catch {
      return '';
    }
  }

  /** The link stops working within `marginMs`. */
  isExpired(file: Pick<SharedFile, 'expiresAt'>, marginMs = 5_000): boolean {
    return !(file.expiresAt - marginMs > this.now());
  }

  /** A working link for a file: the one here, or (expired) one from a fresh list. */
  async freshHref(fileId: string): Promise<string | undefined> {
    let file = this.s.files.find((f) => f.id === fileId);
    if (!file || this.isExpired(file)) {
      await this.load();
      file = this.s.files.find((f) => f.id === fileId);
    }
    return file ? this.href(file) : undefined;
  }

  /** Checks a file before it goes: undefined when it may be sent; otherwise shows and returns why not. */
  check(file: FileLike): FilesNotice | undefined {
    const problem = precheckFile(file);
    this.set({ notice: problem });
    return problem;
  }

  /** The coach shares a file. Resolves with it, or undefined when it was refused (see `notice`). */
  async share(file: Blob & { name: string }): Promise<SharedFile | undefined> {
    if (this.s.upload) return undefined;
    if (this.check(file)) return undefined;
    const target = this.target;
    if (!target?.server || !target.token) {
      this.set({ notice: { code: ErrorCode.NotJoined, message: '', problem: 'notJoined' } });
      return undefined;
    }
    const url = new URL(`/api/v1/classes/${encodeURIComponent(target.classId)}/files`, target.server);
    url.searchParams.set('name', file.name);
    this.set({ upload: { name: file.name, loaded: 0, total: file.size }, notice: undefined });
    try {
      const { status, body } = await this.uploader({
        url: url.href,
        token: target.token,
        body: file,
        onProgress: (loaded, total) => {
          if (this.s.upload) this.set({ upload: { name: file.name, loaded, total: total || file.size } });
        },
      });
      const error = (body as { error?: Partial<ErrorBody> } | undefined)?.error;
      if (status >= 200 && status < 300 && body && typeof (body as SharedFile).id === 'string') {
        const shared = body as SharedFile;
        this.onShared(shared);
        this.set({ upload: undefined });
        return shared;
      }
      const code = error?.code ?? (status === 0 ? ErrorCode.ServerUnreachable : status === 413 ? ErrorCode.PayloadTooLarge : status === 415 ? ErrorCode.UnsupportedMediaType : status === 403 ? ErrorCode.Forbidden : ErrorCode.Internal);
      this.set({ upload: undefined, notice: filesNotice({ code, message: error?.message ?? '' }, error ? undefined : status) });
      return undefined;
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const code = e?.code ?? ErrorCode.ServerUnreachable;
      this.set({ upload: undefined, notice: filesNotice({ code, message: e?.message ?? '' }) });
      return undefined;
    }
  }

  clearNotice(): void {
    if (this.s.notice) this.set({ notice: undefined });
  }

  /** Stops timers (the room left or the element went away). */
  dispose(): void {
    this.attach(undefined);
  }

  /** Fetches fresh links a little before the first one expires, while attached. */
  private scheduleRefresh(): void {
    this.stopRefresh();
    if (!this.channel || !this.s.files.length) return;
    const first = Math.min(...this.s.files.map((f) => f.expiresAt));
    const delay = Math.min(2_147_000_000, Math.max(5_000, first - this.refreshAheadMs - this.now()));
    this.refreshTimer = setTimeout(() => void this.load().catch(() => undefined), delay);
  }

  private stopRefresh(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private call: ClassChannel['request'] = (name, payload) => {
    if (!this.channel) return Promise.reject(new FitError(ErrorCode.NotJoined, 'Join the class first'));
    return this.channel.request(name, payload);
  };
}

/** Each file once (the newer copy wins: fresher link), newest shared first. */
function merge(current: readonly SharedFile[], incoming: readonly SharedFile[]): SharedFile[] {
  const byId = new Map(current.map((f) => [f.id, f]));
  for (const f of incoming) if (f && typeof f.id === 'string') byId.set(f.id, f);
  return [...byId.values()].sort((a, b) => b.sharedAt - a.sharedAt || a.id.localeCompare(b.id));
}
