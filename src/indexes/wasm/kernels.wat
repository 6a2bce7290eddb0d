;; SIMD scan kernels for the flat index (WebAssembly SIMD, no relaxed ops: same results
;; in Node and every browser). Built into kernels-wasm.ts by `npm run wasm:build`.
;; All pointers are byte offsets into the imported memory.
(module
  (import "env" "memory" (memory 1))

  ;; s_i = dot(q, v_i) for i < n, v_i = dim floats at base + i * dim * 4. Only the slots with
  ;; s_i > $min are written out: slot first + i to $slots, s_i to $scores (both 4 bytes per
  ;; entry); returns how many. The caller passes its top-k threshold as $min, so the JS side
  ;; sees a handful of candidates instead of every score.
  ;; Four f32x4 accumulators over 16-float blocks, then f32x4 steps, then a scalar tail.
  (func (export "scan_f32") (param $q i32) (param $base i32) (param $dim i32) (param $n i32) (param $min f32) (param $first i32) (param $slots i32) (param $scores i32) (result i32)
    (local $bytes i32) (local $i i32) (local $p i32) (local $k i32) (local $c i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f32)
    (local.set $bytes (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $p (local.get $base))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $b16
          (loop $l16
            (br_if $b16 (i32.gt_u (i32.add (local.get $k) (i32.const 64)) (local.get $bytes)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
              (v128.load (i32.add (local.get $q) (local.get $k)))
              (v128.load (i32.add (local.get $p) (local.get $k))))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul
              (v128.load offset=16 (i32.add (local.get $q) (local.get $k)))
              (v128.load offset=16 (i32.add (local.get $p) (local.get $k))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul
              (v128.load offset=32 (i32.add (local.get $q) (local.get $k)))
              (v128.load offset=32 (i32.add (local.get $p) (local.get $k))))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul
              (v128.load offset=48 (i32.add (local.get $q) (local.get $k)))
              (v128.load offset=48 (i32.add (local.get $p) (local.get $k))))))
            (local.set $k (i32.add (local.get $k) (i32.const 64)))
            (br $l16)))
        (block $b4
          (loop $l4
            (br_if $b4 (i32.gt_u (i32.add (local.get $k) (i32.const 16)) (local.get $bytes)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
              (v128.load (i32.add (local.get $q) (local.get $k)))
              (v128.load (i32.add (local.get $p) (local.get $k))))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $l4)))
        (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
        (local.set $s (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
          (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        (block $b1
          (loop $l1
            (br_if $b1 (i32.ge_u (local.get $k) (local.get $bytes)))
            (local.set $s (f32.add (local.get $s) (f32.mul
              (f32.load (i32.add (local.get $q) (local.get $k)))
              (f32.load (i32.add (local.get $p) (local.get $k))))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $l1)))
        (if (f32.gt (local.get $s) (local.get $min))
          (then
            (i32.store (i32.add (local.get $slots) (i32.shl (local.get $c) (i32.const 2))) (i32.add (local.get $first) (local.get $i)))
            (f32.store (i32.add (local.get $scores) (i32.shl (local.get $c) (i32.const 2))) (local.get $s))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))))
        (local.set $p (i32.add (local.get $p) (local.get $bytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $vec)))
    (local.get $c))

  ;; s_i = sum of q[j] * v_i[j] as int32, v_i = dim int8 at base + i * dim, q = dim int16
  ;; (the int8 query widened once per scan); written out as scan_f32 does, for s_i > $min.
  ;; Each 8 stored bytes are loaded widened to i16x8 (v128.load8x8_s: one pmovsxbw) and
  ;; multiplied-and-paired with the query by i32x4.dot_i16x8_s (one pmaddwd): exact integers.
  (func (export "scan_i8") (param $q i32) (param $base i32) (param $dim i32) (param $n i32) (param $min i32) (param $first i32) (param $slots i32) (param $scores i32) (result i32)
    (local $i i32) (local $p i32) (local $k i32) (local $pk i32) (local $qk i32) (local $s i32) (local $c i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $p (local.get $base))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $b32
          (loop $l32
            (br_if $b32 (i32.gt_u (i32.add (local.get $k) (i32.const 32)) (local.get $dim)))
            (local.set $pk (i32.add (local.get $p) (local.get $k)))
            (local.set $qk (i32.add (local.get $q) (i32.shl (local.get $k) (i32.const 1))))
            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (v128.load8x8_s (local.get $pk)) (v128.load (local.get $qk)))))
            (local.set $a1 (i32x4.add (local.get $a1) (i32x4.dot_i16x8_s (v128.load8x8_s offset=8 (local.get $pk)) (v128.load offset=16 (local.get $qk)))))
            (local.set $a2 (i32x4.add (local.get $a2) (i32x4.dot_i16x8_s (v128.load8x8_s offset=16 (local.get $pk)) (v128.load offset=32 (local.get $qk)))))
            (local.set $a3 (i32x4.add (local.get $a3) (i32x4.dot_i16x8_s (v128.load8x8_s offset=24 (local.get $pk)) (v128.load offset=48 (local.get $qk)))))
            (local.set $k (i32.add (local.get $k) (i32.const 32)))
            (br $l32)))
        (block $b8
          (loop $l8
            (br_if $b8 (i32.gt_u (i32.add (local.get $k) (i32.const 8)) (local.get $dim)))
            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s
              (v128.load8x8_s (i32.add (local.get $p) (local.get $k)))
              (v128.load (i32.add (local.get $q) (i32.shl (local.get $k) (i32.const 1)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $l8)))
        (local.set $a0 (i32x4.add (i32x4.add (local.get $a0) (local.get $a1)) (i32x4.add (local.get $a2) (local.get $a3))))
        (local.set $s (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $a0)) (i32x4.extract_lane 1 (local.get $a0)))
          (i32.add (i32x4.extract_lane 2 (local.get $a0)) (i32x4.extract_lane 3 (local.get $a0)))))
        (block $b1
          (loop $l1
            (br_if $b1 (i32.ge_u (local.get $k) (local.get $dim)))
            (local.set $s (i32.add (local.get $s) (i32.mul
              (i32.load16_s (i32.add (local.get $q) (i32.shl (local.get $k) (i32.const 1))))
              (i32.load8_s (i32.add (local.get $p) (local.get $k))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l1)))
        (if (i32.gt_s (local.get $s) (local.get $min))
          (then
            (i32.store (i32.add (local.get $slots) (i32.shl (local.get $c) (i32.const 2))) (i32.add (local.get $first) (local.get $i)))
            (i32.store (i32.add (local.get $scores) (i32.shl (local.get $c) (i32.const 2))) (local.get $s))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))))
        (local.set $p (i32.add (local.get $p) (local.get $dim)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $vec)))
    (local.get $c))

  ;; Streaming read: adds `bytes` (a multiple of 64) bytes from `base` as i32 lanes; the
  ;; result only keeps the loads from being optimised away. Measures memory bandwidth.
  (func (export "read_sum") (param $base i32) (param $bytes i32) (result i32)
    (local $p i32) (local $end i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $p (local.get $base))
    (local.set $end (i32.add (local.get $base) (local.get $bytes)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a0 (i32x4.add (local.get $a0) (v128.load (local.get $p))))
        (local.set $a1 (i32x4.add (local.get $a1) (v128.load offset=16 (local.get $p))))
        (local.set $a2 (i32x4.add (local.get $a2) (v128.load offset=32 (local.get $p))))
        (local.set $a3 (i32x4.add (local.get $a3) (v128.load offset=48 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $l)))
    (local.set $a0 (i32x4.add (i32x4.add (local.get $a0) (local.get $a1)) (i32x4.add (local.get $a2) (local.get $a3))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $a0)) (i32x4.extract_lane 1 (local.get $a0)))
      (i32.add (i32x4.extract_lane 2 (local.get $a0)) (i32x4.extract_lane 3 (local.get $a0)))))
)
