;; Clustering kernels for the tfjs-wasm backend: Lloyd's assignment step fused with the incremental
;; update of the cluster sums (see kmeans-kernel.ts), its helpers, and silhouette's distance sums
;; (`distanceSums`, see src/lib/eval/silhouette-kernel.ts). They work in place on buffers the caller
;; allocated on the backend's heap; the module imports that heap's memory and owns none.
;;
;; Layouts (byte pointers, all 16-byte aligned):
;;   x       the points in blocks of 4 rows: block b holds, for each feature f, the 4 values
;;           x[4b..4b+3][f] as one f32x4 (d × 16 bytes per block; rows past n are zero padding).
;;           `pack` makes this layout in place from the rows copied in row-major.
;;           One SIMD lane per point, so no horizontal sums and any d works.
;;   c       the centres in groups of 4: per group, 4 biases ‖c_j‖² then, for each feature f, the
;;           4 values −2·c_j[f] ((d + 1) × 16 bytes per group). Padding centres have bias +∞.
;;   labels  int32 per row (rounded up to whole blocks): read as the previous labels, overwritten
;;           with the new ones; −1 means "not yet counted in the sums".
;;   sums    float64 k × d and counts float64 k, or sums = 0 to skip the update.
;;   c64     (inertia) the centres as float64, k × d.
;;
;; Score of point x for centre j: ‖c_j‖² + Σ_f x_f·(−2c_j[f]), accumulated from the bias in
;; feature order with separate multiply and add: the same float32 roundings as tfjs-wasm's
;; fused matMul with bias (XNNPACK's wasm SIMD GEMM), so labels match the tensor-op path.
;; The argmin keeps the first of equal scores (strict <), like tf.argMin. A second export gives the
;; exact float64 inertia of the labels, without copying them out.
(module
  (import "env" "memory" (memory 1))

  ;; Moves one point from cluster $old to cluster $new in the float64 sums and counts, or just
  ;; adds it to $new when $old is −1 or $full (sums being rebuilt from zero). $xp points at the
  ;; point's feature 0 in its block (features 16 bytes apart). Returns 1 if the label changed.
  (func $move (param $old i32) (param $new i32) (param $xp i32) (param $d i32)
              (param $sums i32) (param $counts i32) (param $full i32) (result i32)
    (local $f i32) (local $v f64) (local $po i32) (local $pn i32) (local $take i32)
    (local.set $take (i32.and (i32.ge_s (local.get $old) (i32.const 0)) (i32.eqz (local.get $full))))
    (if (i32.and (local.get $take) (i32.eq (local.get $old) (local.get $new)))
      (then (return (i32.const 0))))
    (if (local.get $sums)
      (then
        (local.set $pn (i32.add (local.get $counts) (i32.shl (local.get $new) (i32.const 3))))
        (f64.store (local.get $pn) (f64.add (f64.load (local.get $pn)) (f64.const 1)))
        (local.set $pn (i32.add (local.get $sums) (i32.shl (i32.mul (local.get $new) (local.get $d)) (i32.const 3))))
        (if (local.get $take)
          (then
            (local.set $po (i32.add (local.get $counts) (i32.shl (local.get $old) (i32.const 3))))
            (f64.store (local.get $po) (f64.sub (f64.load (local.get $po)) (f64.const 1)))
            (local.set $po (i32.add (local.get $sums) (i32.shl (i32.mul (local.get $old) (local.get $d)) (i32.const 3))))
            (loop $features
              (local.set $v (f64.promote_f32 (f32.load (local.get $xp))))
              (f64.store (local.get $pn) (f64.add (f64.load (local.get $pn)) (local.get $v)))
              (f64.store (local.get $po) (f64.sub (f64.load (local.get $po)) (local.get $v)))
              (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
              (local.set $pn (i32.add (local.get $pn) (i32.const 8)))
              (local.set $po (i32.add (local.get $po) (i32.const 8)))
              (br_if $features (i32.lt_u (local.tee $f (i32.add (local.get $f) (i32.const 1))) (local.get $d)))))
          (else
            (loop $features
              (f64.store (local.get $pn)
                (f64.add (f64.load (local.get $pn)) (f64.promote_f32 (f32.load (local.get $xp)))))
              (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
              (local.set $pn (i32.add (local.get $pn) (i32.const 8)))
              (br_if $features (i32.lt_u (local.tee $f (i32.add (local.get $f) (i32.const 1))) (local.get $d))))))))
    (i32.ne (local.get $old) (local.get $new)))

  ;; Assigns the n points (d ≥ 1 features) to their nearest of `groups` × 4 centres, writes the
  ;; labels and, when sums ≠ 0, moves the changed points in the sums (all points when $full).
  ;; Returns how many of the n labels differ from the previous ones.
  (func (export "assign") (param $x i32) (param $n i32) (param $d i32) (param $c i32)
                          (param $groups i32) (param $labels i32) (param $sums i32)
                          (param $counts i32) (param $full i32) (result i32)
    (local $blocks i32) (local $blk i32) (local $row i32) (local $xb i32) (local $xp i32)
    (local $cp i32) (local $g i32) (local $f i32) (local $j i32) (local $changed i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $xv v128)
    (local $best v128) (local $idx v128) (local $lt v128) (local $old v128)
    (local.set $blocks (i32.shr_u (i32.add (local.get $n) (i32.const 3)) (i32.const 2)))
    (local.set $xb (local.get $x))
    (loop $block
      (local.set $best (f32x4.splat (f32.const inf)))
      (local.set $idx (i32x4.splat (i32.const 0)))
      (local.set $cp (local.get $c))
      (local.set $g (i32.const 0))
      (loop $group
        (local.set $a0 (v128.load32_splat offset=0 (local.get $cp)))
        (local.set $a1 (v128.load32_splat offset=4 (local.get $cp)))
        (local.set $a2 (v128.load32_splat offset=8 (local.get $cp)))
        (local.set $a3 (v128.load32_splat offset=12 (local.get $cp)))
        (local.set $xp (local.get $xb))
        (local.set $f (i32.const 0))
        (loop $feature
          (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
          (local.set $xv (v128.load (local.get $xp)))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (v128.load32_splat offset=0 (local.get $cp)))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (v128.load32_splat offset=4 (local.get $cp)))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (v128.load32_splat offset=8 (local.get $cp)))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (v128.load32_splat offset=12 (local.get $cp)))))
          (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
          (br_if $feature (i32.lt_u (local.tee $f (i32.add (local.get $f) (i32.const 1))) (local.get $d))))
        (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
        ;; Running argmin over centres 4g … 4g+3, in order.
        (local.set $j (i32.shl (local.get $g) (i32.const 2)))
        (local.set $lt (f32x4.lt (local.get $a0) (local.get $best)))
        (local.set $best (v128.bitselect (local.get $a0) (local.get $best) (local.get $lt)))
        (local.set $idx (v128.bitselect (i32x4.splat (local.get $j)) (local.get $idx) (local.get $lt)))
        (local.set $lt (f32x4.lt (local.get $a1) (local.get $best)))
        (local.set $best (v128.bitselect (local.get $a1) (local.get $best) (local.get $lt)))
        (local.set $idx (v128.bitselect (i32x4.splat (i32.add (local.get $j) (i32.const 1))) (local.get $idx) (local.get $lt)))
        (local.set $lt (f32x4.lt (local.get $a2) (local.get $best)))
        (local.set $best (v128.bitselect (local.get $a2) (local.get $best) (local.get $lt)))
        (local.set $idx (v128.bitselect (i32x4.splat (i32.add (local.get $j) (i32.const 2))) (local.get $idx) (local.get $lt)))
        (local.set $lt (f32x4.lt (local.get $a3) (local.get $best)))
        (local.set $best (v128.bitselect (local.get $a3) (local.get $best) (local.get $lt)))
        (local.set $idx (v128.bitselect (i32x4.splat (i32.add (local.get $j) (i32.const 3))) (local.get $idx) (local.get $lt)))
        (br_if $group (i32.lt_u (local.tee $g (i32.add (local.get $g) (i32.const 1))) (local.get $groups))))
      (local.set $old (v128.load (local.get $labels)))
      (v128.store (local.get $labels) (local.get $idx))
      (if (i32.or (local.get $full) (v128.any_true (i32x4.ne (local.get $old) (local.get $idx))))
        (then
          (local.set $row (i32.shl (local.get $blk) (i32.const 2)))
          ;; Lanes past n are padding: never counted.
          (if (i32.lt_u (local.get $row) (local.get $n))
            (then (local.set $changed (i32.add (local.get $changed)
              (call $move (i32x4.extract_lane 0 (local.get $old)) (i32x4.extract_lane 0 (local.get $idx))
                (local.get $xb) (local.get $d) (local.get $sums) (local.get $counts) (local.get $full))))))
          (if (i32.lt_u (i32.add (local.get $row) (i32.const 1)) (local.get $n))
            (then (local.set $changed (i32.add (local.get $changed)
              (call $move (i32x4.extract_lane 1 (local.get $old)) (i32x4.extract_lane 1 (local.get $idx))
                (i32.add (local.get $xb) (i32.const 4)) (local.get $d) (local.get $sums) (local.get $counts) (local.get $full))))))
          (if (i32.lt_u (i32.add (local.get $row) (i32.const 2)) (local.get $n))
            (then (local.set $changed (i32.add (local.get $changed)
              (call $move (i32x4.extract_lane 2 (local.get $old)) (i32x4.extract_lane 2 (local.get $idx))
                (i32.add (local.get $xb) (i32.const 8)) (local.get $d) (local.get $sums) (local.get $counts) (local.get $full))))))
          (if (i32.lt_u (i32.add (local.get $row) (i32.const 3)) (local.get $n))
            (then (local.set $changed (i32.add (local.get $changed)
              (call $move (i32x4.extract_lane 3 (local.get $old)) (i32x4.extract_lane 3 (local.get $idx))
                (i32.add (local.get $xb) (i32.const 12)) (local.get $d) (local.get $sums) (local.get $counts) (local.get $full))))))))
      (local.set $labels (i32.add (local.get $labels) (i32.const 16)))
      (local.set $xb (i32.add (local.get $xb) (i32.shl (local.get $d) (i32.const 4))))
      (br_if $block (i32.lt_u (local.tee $blk (i32.add (local.get $blk) (i32.const 1))) (local.get $blocks))))
    (local.get $changed))

  ;; Σ_i ‖x_i − c_label(i)‖² in float64 over the n points; $c64 holds the centres as float64
  ;; (k × d). Each row sums its even and its odd features apart, then adds both to the total: the
  ;; same additions as inertiaOf in kmeans.ts, so the two agree to the last bit.
  ;; $total is the running total to add to (0, or what earlier rows came to).
  (func (export "inertia") (param $x i32) (param $n i32) (param $d i32) (param $c64 i32)
                           (param $labels i32) (param $total f64) (result f64)
    (local $i i32) (local $f i32) (local $xp i32) (local $cp i32)
    (local $r0 f64) (local $r1 f64) (local $z f64)
    (if (i32.eqz (local.get $n)) (then (return (local.get $total))))
    (loop $row
      (local.set $xp (i32.add (local.get $x)
        (i32.add (i32.mul (i32.shr_u (local.get $i) (i32.const 2)) (i32.shl (local.get $d) (i32.const 4)))
                 (i32.shl (i32.and (local.get $i) (i32.const 3)) (i32.const 2)))))
      (local.set $cp (i32.add (local.get $c64)
        (i32.shl (i32.mul (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))) (local.get $d)) (i32.const 3))))
      (local.set $r0 (f64.const 0))
      (local.set $r1 (f64.const 0))
      (local.set $f (i32.const 0))
      (block $done
        (loop $pair
          (br_if $done (i32.ge_u (i32.add (local.get $f) (i32.const 1)) (local.get $d)))
          (local.set $z (f64.sub (f64.promote_f32 (f32.load (local.get $xp))) (f64.load (local.get $cp))))
          (local.set $r0 (f64.add (local.get $r0) (f64.mul (local.get $z) (local.get $z))))
          (local.set $z (f64.sub (f64.promote_f32 (f32.load offset=16 (local.get $xp))) (f64.load offset=8 (local.get $cp))))
          (local.set $r1 (f64.add (local.get $r1) (f64.mul (local.get $z) (local.get $z))))
          (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
          (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
          (local.set $f (i32.add (local.get $f) (i32.const 2)))
          (br $pair)))
      (if (i32.lt_u (local.get $f) (local.get $d))
        (then
          (local.set $z (f64.sub (f64.promote_f32 (f32.load (local.get $xp))) (f64.load (local.get $cp))))
          (local.set $r0 (f64.add (local.get $r0) (f64.mul (local.get $z) (local.get $z))))))
      (local.set $total (f64.add (local.get $total) (f64.add (local.get $r0) (local.get $r1))))
      (br_if $row (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $total))

  ;; Σ x² over $values packed floats (a multiple of 4; padding rows add 0), in float64: the ‖x‖²
  ;; term of the progress inertia. Four float64 lanes of partial sums.
  (func (export "sumSquares") (param $x i32) (param $values i32) (result f64)
    (local $end i32) (local $v v128) (local $w v128) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $values) (i32.const 2))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (local.set $w (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $w) (local.get $w))))
        (local.set $w (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $w) (local.get $w))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $quad)))
    (local.set $a (f64x2.add (local.get $a) (local.get $b)))
    (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))

  ;; Rearranges $blocks blocks of 4 rows × $d features, copied in row-major, into the layout
  ;; above (feature-major within each block), in place, through $scratch (16·d bytes).
  (func (export "pack") (param $x i32) (param $blocks i32) (param $d i32) (param $scratch i32)
    (local $b i32) (local $f i32) (local $i i32) (local $bytes i32) (local $row i32)
    (local $src i32) (local $dst i32)
    (if (i32.eqz (local.get $blocks)) (then (return)))
    (local.set $bytes (i32.shl (local.get $d) (i32.const 4)))
    (local.set $row (i32.shl (local.get $d) (i32.const 2)))
    (loop $block
      (local.set $i (i32.const 0))
      (loop $copy
        (v128.store (i32.add (local.get $scratch) (local.get $i))
          (v128.load (i32.add (local.get $x) (local.get $i))))
        (br_if $copy (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (local.get $bytes))))
      (local.set $src (local.get $scratch))
      (local.set $dst (local.get $x))
      (local.set $f (i32.const 0))
      (loop $feature
        (f32.store offset=0 (local.get $dst) (f32.load (local.get $src)))
        (f32.store offset=4 (local.get $dst) (f32.load (i32.add (local.get $src) (local.get $row))))
        (f32.store offset=8 (local.get $dst) (f32.load (i32.add (local.get $src) (i32.shl (local.get $row) (i32.const 1)))))
        (f32.store offset=12 (local.get $dst) (f32.load (i32.add (local.get $src) (i32.mul (local.get $row) (i32.const 3)))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br_if $feature (i32.lt_u (local.tee $f (i32.add (local.get $f) (i32.const 1))) (local.get $d))))
      (local.set $x (i32.add (local.get $x) (local.get $bytes)))
      (br_if $block (i32.lt_u (local.tee $b (i32.add (local.get $b) (i32.const 1))) (local.get $blocks)))))

  ;; Silhouette's distance sums, each pair visited once. The m points are sorted by cluster
  ;; (cluster c holds [bounds[c], bounds[c+1]), int32; $cluster gives each sorted point's) and
  ;; stored feature-major: feature f of point j at $xs + 4·(f·$stride + j), $stride a multiple of
  ;; 4 with zero padding. For each i in [$i0, $i1) and each later point j (four per step, one per
  ;; lane, lanes outside the range masked to 0):
  ;;   out[(i − $i0)·k + c_j] += ‖x_i − x_j‖   (row part, float64, written per call)
  ;;   col[c_i·$stride + j]   += ‖x_i − x_j‖   (column part, float64, kept across calls)
  ;; so point p's sum over cluster c is its row part plus col[c·$stride + p]. Distances are float32
  ;; from the differences (no ‖x‖² + ‖y‖² − 2x·y cancellation). $splat: scratch for d f32x4.
  (func (export "distanceSums") (param $xs i32) (param $stride i32) (param $d i32) (param $bounds i32)
                                (param $cluster i32) (param $k i32) (param $i0 i32) (param $i1 i32)
                                (param $splat i32) (param $out i32) (param $col i32)
    (local $i i32) (local $f i32) (local $c i32) (local $j i32) (local $end i32) (local $row i32)
    (local $xp i32) (local $sp i32) (local $cp i32) (local $colRow i32) (local $start i32)
    (local $lo v128) (local $hi v128) (local $acc v128) (local $z v128) (local $lanes v128)
    (local $first v128) (local $stop v128) (local $dist v128) (local $dlo v128) (local $dhi v128)
    (local.set $row (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $i (local.get $i0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $f (i32.const 0))
        (loop $splat_features
          (v128.store (i32.add (local.get $splat) (i32.shl (local.get $f) (i32.const 4)))
            (v128.load32_splat (i32.add (local.get $xs)
              (i32.shl (i32.add (i32.mul (local.get $f) (local.get $stride)) (local.get $i)) (i32.const 2)))))
          (br_if $splat_features (i32.lt_u (local.tee $f (i32.add (local.get $f) (i32.const 1))) (local.get $d))))
        ;; Column part of this point's cluster.
        (local.set $colRow (i32.add (local.get $col)
          (i32.shl (i32.mul (i32.load (i32.add (local.get $cluster) (i32.shl (local.get $i) (i32.const 2))))
                            (local.get $stride)) (i32.const 3))))
        (local.set $c (i32.const 0))
        (loop $clusters
          (local.set $end (i32.load offset=4 (i32.add (local.get $bounds) (i32.shl (local.get $c) (i32.const 2)))))
          ;; Only points after i: start at max(bounds[c], i + 1).
          (local.set $start (i32.load (i32.add (local.get $bounds) (i32.shl (local.get $c) (i32.const 2)))))
          (if (i32.le_s (local.get $start) (local.get $i)) (then (local.set $start (i32.add (local.get $i) (i32.const 1)))))
          (local.set $first (i32x4.splat (local.get $start)))
          (local.set $stop (i32x4.splat (local.get $end)))
          (local.set $lo (f64x2.splat (f64.const 0)))
          (local.set $hi (f64x2.splat (f64.const 0)))
          (local.set $j (i32.and (local.get $start) (i32.const -4)))
          (block $cluster_done
            (loop $quads
              (br_if $cluster_done (i32.ge_s (local.get $j) (local.get $end)))
              (local.set $acc (f32x4.splat (f32.const 0)))
              (local.set $xp (i32.add (local.get $xs) (i32.shl (local.get $j) (i32.const 2))))
              (local.set $sp (local.get $splat))
              (local.set $f (i32.const 0))
              (loop $features
                (local.set $z (f32x4.sub (v128.load (local.get $xp)) (v128.load (local.get $sp))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $z) (local.get $z))))
                (local.set $xp (i32.add (local.get $xp) (local.get $row)))
                (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
                (br_if $features (i32.lt_u (local.tee $f (i32.add (local.get $f) (i32.const 1))) (local.get $d))))
              (local.set $lanes (i32x4.add (i32x4.splat (local.get $j)) (v128.const i32x4 0 1 2 3)))
              (local.set $dist (v128.and (f32x4.sqrt (local.get $acc))
                (v128.and (i32x4.ge_s (local.get $lanes) (local.get $first)) (i32x4.lt_s (local.get $lanes) (local.get $stop)))))
              (local.set $dlo (f64x2.promote_low_f32x4 (local.get $dist)))
              (local.set $dhi (f64x2.promote_low_f32x4
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $dist) (local.get $dist))))
              (local.set $lo (f64x2.add (local.get $lo) (local.get $dlo)))
              (local.set $hi (f64x2.add (local.get $hi) (local.get $dhi)))
              (local.set $cp (i32.add (local.get $colRow) (i32.shl (local.get $j) (i32.const 3))))
              (v128.store (local.get $cp) (f64x2.add (v128.load (local.get $cp)) (local.get $dlo)))
              (v128.store offset=16 (local.get $cp) (f64x2.add (v128.load offset=16 (local.get $cp)) (local.get $dhi)))
              (local.set $j (i32.add (local.get $j) (i32.const 4)))
              (br $quads)))
          (local.set $lo (f64x2.add (local.get $lo) (local.get $hi)))
          (f64.store (local.get $out) (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo))))
          (local.set $out (i32.add (local.get $out) (i32.const 8)))
          (br_if $clusters (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $k))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
