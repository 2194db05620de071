import { ErrorCode } from '../../protocol/error-codes.js';
import { FitError } from './fit-error.js';

export type GetUserMedia = (constraints: MediaStreamConstraints) => Promise<MediaStream>;

/** Camera size by role: the coach fills everyone's main stage; members are grid tiles. */
export function cameraConstraints(role: 'coach' | 'member' | undefined): MediaTrackConstraints {
  return role === 'coach'
    ? { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } }
    : { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24 } };
}

/** Explains a getUserMedia failure in words a member can act on. */
export function describeMediaError(err: unknown): FitError {
  const name = (err as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return new FitError(
      ErrorCode.MediaPermissionDenied,
      'Camera and microphone access was refused. You can still follow the class; allow access in your browser’s site settings to be seen and heard.',
    );
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return new FitError(ErrorCode.MediaDeviceUnavailable, 'No camera or microphone was found. You can still follow the class.');
  }
  if (name === 'NotReadableError' || name === 'AbortError') {
    return new FitError(ErrorCode.MediaDeviceUnavailable, 'Your camera or microphone is in use by another app. Close it and rejoin to be seen.');
  }
  return new FitError(ErrorCode.MediaDeviceUnavailable, 'Camera and microphone are unavailable here (this page needs HTTPS). You can still follow the class.');
}

/**
 * Opens camera and microphone; with one of them missing, settles for the other.
 * Throws a FitError when neither can be had.
 */
export async function openLocalMedia(getUserMedia: GetUserMedia | undefined, video: MediaTrackConstraints): Promise<MediaStream> {
  if (!getUserMedia) throw describeMediaError(undefined);
  const audio: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  try {
    return await getUserMedia({ audio, video });
  } catch (err) {
    if ((err as { name?: string })?.name !== 'NotFoundError') throw describeMediaError(err);
  }
  for (const only of [{ video }, { audio }]) {
    try {
      return await getUserMedia(only);
    } catch {
      // try the next one
    }
  }
  throw describeMediaError({ name: 'NotFoundError' });
}
