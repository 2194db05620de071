import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode } from '../../protocol/error-codes.js';
import { SHARED_FILE_MAX_BYTES, type SharedFile } from '../../protocol/social.js';
import type { SharedFileType } from './file-types.js';
import { detectFileType } from './file-types.js';
import { AppError } from '../errors.js';
import type { StoredFile } from '../store/repositories.js';

/** Where shared files' bytes live. */
export interface FileStorage {
  readonly kind: string;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
}

/** Files under a local folder (`./data/files` by default). */
export class LocalFileStorage implements FileStorage {
  readonly kind = 'local';
  constructor(private readonly dir: string) {}

  private pathOf(key: string): string {
    // Keys are made here (random ids), but a path never leaves the folder whatever it holds.
    if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new AppError(ErrorCode.BadRequest, 'Bad file key');
    return path.join(this.dir, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const target = this.pathOf(key);
    await fs.writeFile(`${target}.part`, bytes);
    await fs.rename(`${target}.part`, target);
  }

  async get(key: string): Promise<Buffer> {
    return fs.readFile(this.pathOf(key)).catch(() => {
      throw new AppError(ErrorCode.NotFound, 'The file is gone', 404);
    });
  }
}

/**
 * Files in a Supabase Storage bucket, through its REST API with the project's service-role key
 * (server side only; the browser never sees it). Downloads still go through FitLive's signed,
 * expiring links, so one rule covers both stores.
 */
export class SupabaseFileStorage implements FileStorage {
  readonly kind = 'supabase';
  constructor(
    private readonly projectUrl: string,
    private readonly serviceKey: string,
    private readonly bucket: string,
  ) {}

  private objectUrl(key: string, authenticated = false): string {
    return `${this.projectUrl.replace(/\/$/, '')}/storage/v1/object/${authenticated ? 'authenticated/' : ''}${encodeURIComponent(this.bucket)}/${encodeURIComponent(key)}`;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.serviceKey}`, apikey: this.serviceKey, ...extra };
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const res = await fetch(this.objectUrl(key), { method: 'POST', headers: this.headers({ 'content-type': contentType, 'x-upsert': 'true' }), body: new Uint8Array(bytes) });
    if (!res.ok) throw new AppError(ErrorCode.Internal, `File storage refused the upload (${res.status})`, 502);
  }

  async get(key: string): Promise<Buffer> {
    const res = await fetch(this.objectUrl(key, true), { headers: this.headers() });
    if (res.status === 404 || res.status === 400) throw new AppError(ErrorCode.NotFound, 'The file is gone', 404);
    if (!res.ok) throw new AppError(ErrorCode.Internal, `File storage failed (${res.status})`, 502);
    return Buffer.from(await res.arrayBuffer());
  }
}

/**
 * Shared class files: checks what is uploaded (by its bytes, not its name or header), stores it,
 * and makes links that expire. A link is `/api/v1/files/<id>?exp=<unix s>&sig=<HMAC>`, relative
 * to the server; anyone holding a fresh one may fetch the file until it expires.
 */
export class SharedFiles {
  constructor(
    readonly storage: FileStorage,
    private readonly secret: Buffer,
    readonly linkTtlSeconds = 3600,
  ) {}

  /** Checks an upload; returns its real type. */
  check(bytes: Buffer): SharedFileType {
    if (bytes.length === 0) throw new AppError(ErrorCode.BadRequest, 'The file is empty');
    if (bytes.length > SHARED_FILE_MAX_BYTES) throw new AppError(ErrorCode.PayloadTooLarge, `Files are limited to ${SHARED_FILE_MAX_BYTES / 1024 / 1024} MB`, 413);
    const type = detectFileType(bytes);
    if (!type) throw new AppError(ErrorCode.UnsupportedMediaType, 'Share a PDF or an image (PNG, JPEG, WebP)', 415);
    return type;
  }

  private signature(id: string, exp: number): string {
    return crypto.createHmac('sha256', this.secret).update(`${id}\0${exp}`).digest('base64url');
  }

  link(f: StoredFile, now = Date.now()): SharedFile {
    const exp = Math.floor(now / 1000) + this.linkTtlSeconds;
    return {
      id: f.id,
      name: f.name,
      contentType: f.contentType,
      size: f.size,
      sharedAt: f.sharedAt,
      expiresAt: exp * 1000,
      url: `/api/v1/files/${encodeURIComponent(f.id)}?exp=${exp}&sig=${this.signature(f.id, exp)}`,
    };
  }

  /** Throws unless `sig` was made here for this file and `exp` has not passed. */
  verify(id: string, exp: string | undefined, sig: string | undefined, now = Date.now()): void {
    const e = Number(exp);
    if (!Number.isInteger(e) || !sig) throw new AppError(ErrorCode.Unauthorized, 'This link is incomplete', 401);
    const want = Buffer.from(this.signature(id, e));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) throw new AppError(ErrorCode.Unauthorized, 'This link is not valid', 401);
    if (e * 1000 < now) throw new AppError(ErrorCode.TokenExpired, 'This link has expired: open the file again from the class', 410);
  }
}

/** A safe download name: no path, no quotes or control characters, a sensible length. */
export function safeFileName(name: string | undefined, type: SharedFileType): string {
  const ext = { 'application/pdf': '.pdf', 'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp' }[type];
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim().slice(0, 120);
  if (!base) return `file${ext}`;
  return /\.[A-Za-z0-9]{1,5}$/.test(base) ? base : `${base}${ext}`;
}
