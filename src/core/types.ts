/** Decoded pixels, row-major, interleaved channels (1 = grey, 3 = RGB, 4 = RGBA), 8 bits per channel. */
export interface RawImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Point = [number, number];

export interface Face {
  /** In pixels of the input image (after EXIF orientation). */
  box: Box;
  /** Detector confidence in [0, 1]; 0 when the face was not detected but assumed (`crop: true`). */
  score: number;
  /** Landmarks in image pixels; 5 points: left eye, right eye, nose tip, left and right mouth corner (image left/right). */
  landmarks: Point[];
  /** Size, sharpness and pose of the face, and whether they make a match unlikely. */
  quality?: FaceQuality;
  /** True when no face was detected and the whole image was used as the face (`crop: true`). */
  assumedCrop?: boolean;
}

/** 2x3 affine transform [a, b, tx, c, d, ty]: dst = [a b; c d] * src + t. */
export type Affine = [number, number, number, number, number, number];

/** Why a face is unlikely to match; each has a threshold in src/core/quality.ts (measured: README, "Face quality"). */
export type FaceQualityIssue = 'small' | 'blurred' | 'turned';

/** Size, sharpness and pose of a face (computed by src/core/quality.ts). */
export interface FaceQuality {
  /** Distance between the eye centres in the photo, in pixels. */
  eyeDistance: number;
  /** Variance of the Laplacian of the aligned grey crop: low = blurred or flat. */
  sharpness: number;
  /** Head turn estimated from the nose's offset from the eyes' midline, as a fraction of eye distance (0 = frontal). */
  yaw: number;
  /** In-plane tilt of the eye line, degrees. */
  roll: number;
  /** Detector confidence (0 when the face was assumed from a crop). */
  detectorScore: number;
  /** False when any measure is past its threshold: the photo is unlikely to give a reliable match. */
  ok: boolean;
  /** The measures past their thresholds, e.g. ['small', 'blurred']. */
  issues: FaceQualityIssue[];
}
