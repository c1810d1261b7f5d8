;; The arithmetic of /model's runs (app/figures/model.js), in WebAssembly with 128-bit lanes (two floats
;; side by side): momentum_core.model.heavy_ball_run on LogisticRegression, and each iterate's distance to
;; w* and loss gap. Every float operation is Python's, in Python's order (a lane is one sample, or one
;; feature; no fused multiply-add): a run here and one computed by numpy agree to the bit.
;;
;; Assembled to model.wasm by `python scripts/assemble_wasm.py` (Debian's wabt, wat2wasm); a test
;; checks that the shipped binary is this text assembled.
;;
;; Memory (the page's, filled by model.js): X row by row, each row padded to 32 features with zeros
;; (256 bytes); X column by column, each column padded to $mp samples (a multiple of 8) with zeros;
;; y and the scratch columns padded to $mp; w*, the tables; then each run's w, z, g (32 each), r ($mp),
;; distances and gaps.
(module
  (import "env" "memory" (memory 1))
  (global $rows (mut i32) (i32.const 0))      ;; X row by row
  (global $columns (mut i32) (i32.const 0))   ;; X column by column
  (global $y (mut i32) (i32.const 0))
  (global $target (mut i32) (i32.const 0))    ;; w*
  (global $expTable (mut i32) (i32.const 0))  ;; 2^(j/32), j = 0…31
  (global $expCoefficients (mut i32) (i32.const 0))
  (global $logTable (mut i32) (i32.const 0))  ;; log(1 + j/64), j = 0…64
  (global $logCoefficients (mut i32) (i32.const 0))
  (global $scores (mut i32) (i32.const 0))    ;; zᵢ = xᵢᵀw
  (global $exps (mut i32) (i32.const 0))      ;; e^{−|zᵢ|}
  (global $terms (mut i32) (i32.const 0))     ;; the loss's terms
  (global $m (mut i32) (i32.const 0))         ;; samples
  (global $mp (mut i32) (i32.const 0))        ;; samples, padded to a multiple of 8
  (global $dim (mut i32) (i32.const 0))       ;; features (≤ 32)
  (global $mu (mut f64) (f64.const 0))
  (global $fStar (mut f64) (f64.const 0))
  (global $cap (mut f64) (f64.const 0))
  (global $expScale (mut f64) (f64.const 0))
  (global $expStepHi (mut f64) (f64.const 0))
  (global $expStepLo (mut f64) (f64.const 0))
  (global $expDegree (mut i32) (i32.const 0))
  (global $logDegree (mut i32) (i32.const 0))

  (func (export "setup")
    (param $rows i32) (param $columns i32) (param $y i32) (param $target i32) (param $expTable i32)
    (param $expCoefficients i32) (param $logTable i32) (param $logCoefficients i32) (param $scores i32)
    (param $exps i32) (param $terms i32) (param $m i32) (param $mp i32) (param $dim i32) (param $mu f64)
    (param $fStar f64) (param $cap f64) (param $expScale f64) (param $expStepHi f64) (param $expStepLo f64)
    (param $expDegree i32) (param $logDegree i32)
    (global.set $rows (local.get $rows))
    (global.set $columns (local.get $columns))
    (global.set $y (local.get $y))
    (global.set $target (local.get $target))
    (global.set $expTable (local.get $expTable))
    (global.set $expCoefficients (local.get $expCoefficients))
    (global.set $logTable (local.get $logTable))
    (global.set $logCoefficients (local.get $logCoefficients))
    (global.set $scores (local.get $scores))
    (global.set $exps (local.get $exps))
    (global.set $terms (local.get $terms))
    (global.set $m (local.get $m))
    (global.set $mp (local.get $mp))
    (global.set $dim (local.get $dim))
    (global.set $mu (local.get $mu))
    (global.set $fStar (local.get $fStar))
    (global.set $cap (local.get $cap))
    (global.set $expScale (local.get $expScale))
    (global.set $expStepHi (local.get $expStepHi))
    (global.set $expStepLo (local.get $expStepLo))
    (global.set $expDegree (local.get $expDegree))
    (global.set $logDegree (local.get $logDegree)))

  ;; Both lanes' f64 at (table + 8·index of each lane): a table lookup per lane.
  (func $lookup (param $table i32) (param $index v128) (result v128)
    (f64x2.replace_lane 1
      (v128.load64_splat (i32.add (local.get $table)
        (i32.shl (i32.trunc_f64_s (f64x2.extract_lane 0 (local.get $index))) (i32.const 3))))
      (f64.load (i32.add (local.get $table)
        (i32.shl (i32.trunc_f64_s (f64x2.extract_lane 1 (local.get $index))) (i32.const 3))))))

  ;; model.polynomial: Σₙ cₙxⁿ by Horner's rule, the last coefficient first.
  (func $polynomial (param $coefficients i32) (param $degree i32) (param $x v128) (result v128)
    (local $total v128) (local $at i32)
    (local.set $at (i32.add (local.get $coefficients) (i32.shl (local.get $degree) (i32.const 3))))
    (local.set $total (v128.load64_splat (local.get $at)))
    (loop $terms
      (local.set $at (i32.sub (local.get $at) (i32.const 8)))
      (local.set $total (f64x2.add (v128.load64_splat (local.get $at)) (f64x2.mul (local.get $x) (local.get $total))))
      (br_if $terms (i32.gt_u (local.get $at) (local.get $coefficients))))
    (local.get $total))

  ;; LogisticRegression.gradient's sum: g = Σᵢ xᵢrᵢ, the samples added in order; two features a lane
  ;; pair, 16 pairs a row. Four samples at a time are added to a pair before it is stored again (the
  ;; same sums in the same order, a quarter of the loads and stores of g).
  (func $weightedRows (param $r i32) (param $g i32)
    (local $i i32) (local $j i32) (local $row i32) (local $at i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local.set $r0 (v128.load64_splat (local.get $r)))
    (loop $first
      (v128.store (i32.add (local.get $g) (local.get $j))
        (f64x2.mul (v128.load (i32.add (global.get $rows) (local.get $j))) (local.get $r0)))
      (br_if $first (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (i32.const 256))))
    (local.set $i (i32.const 1))
    (block $fours
      (loop $samples
        (br_if $fours (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (global.get $m)))
        (local.set $row (i32.add (global.get $rows) (i32.shl (local.get $i) (i32.const 8))))
        (local.set $at (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $r0 (v128.load64_splat (local.get $at)))
        (local.set $r1 (v128.load64_splat offset=8 (local.get $at)))
        (local.set $r2 (v128.load64_splat offset=16 (local.get $at)))
        (local.set $r3 (v128.load64_splat offset=24 (local.get $at)))
        (local.set $j (i32.const 0))
        (loop $features
          (local.set $at (i32.add (local.get $row) (local.get $j)))
          (v128.store (i32.add (local.get $g) (local.get $j))
            (f64x2.add
              (f64x2.add
                (f64x2.add
                  (f64x2.add (v128.load (i32.add (local.get $g) (local.get $j)))
                    (f64x2.mul (v128.load (local.get $at)) (local.get $r0)))
                  (f64x2.mul (v128.load offset=256 (local.get $at)) (local.get $r1)))
                (f64x2.mul (v128.load offset=512 (local.get $at)) (local.get $r2)))
              (f64x2.mul (v128.load offset=768 (local.get $at)) (local.get $r3))))
          (br_if $features (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (i32.const 256))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $samples)))
    (block $done
      (loop $rest
        (br_if $done (i32.ge_u (local.get $i) (global.get $m)))
        (local.set $row (i32.add (global.get $rows) (i32.shl (local.get $i) (i32.const 8))))
        (local.set $r0 (v128.load64_splat (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $j (i32.const 0))
        (loop $features
          (v128.store (i32.add (local.get $g) (local.get $j))
            (f64x2.add (v128.load (i32.add (local.get $g) (local.get $j)))
              (f64x2.mul (v128.load (i32.add (local.get $row) (local.get $j))) (local.get $r0))))
          (br_if $features (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (i32.const 256))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rest))))

  ;; LogisticRegression.scores: zᵢ = xᵢᵀw, the features added in order; eight samples at a time (four
  ;; lane pairs, independent sums the processor overlaps).
  (func $scores (param $w i32)
    (local $i i32) (local $j i32) (local $at i32) (local $stride i32) (local $wj v128)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local.set $stride (i32.shl (global.get $mp) (i32.const 3)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $stride)))
        (local.set $at (i32.add (global.get $columns) (local.get $i)))
        (local.set $wj (v128.load64_splat (local.get $w)))
        (local.set $a (f64x2.mul (v128.load (local.get $at)) (local.get $wj)))
        (local.set $b (f64x2.mul (v128.load offset=16 (local.get $at)) (local.get $wj)))
        (local.set $c (f64x2.mul (v128.load offset=32 (local.get $at)) (local.get $wj)))
        (local.set $d (f64x2.mul (v128.load offset=48 (local.get $at)) (local.get $wj)))
        (local.set $j (i32.const 1))
        (loop $features
          (local.set $at (i32.add (local.get $at) (local.get $stride)))
          (local.set $wj (v128.load64_splat (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 3)))))
          (local.set $a (f64x2.add (local.get $a) (f64x2.mul (v128.load (local.get $at)) (local.get $wj))))
          (local.set $b (f64x2.add (local.get $b) (f64x2.mul (v128.load offset=16 (local.get $at)) (local.get $wj))))
          (local.set $c (f64x2.add (local.get $c) (f64x2.mul (v128.load offset=32 (local.get $at)) (local.get $wj))))
          (local.set $d (f64x2.add (local.get $d) (f64x2.mul (v128.load offset=48 (local.get $at)) (local.get $wj))))
          (br_if $features (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (global.get $dim))))
        (local.set $at (i32.add (global.get $scores) (local.get $i)))
        (v128.store (local.get $at) (local.get $a))
        (v128.store offset=16 (local.get $at) (local.get $b))
        (v128.store offset=32 (local.get $at) (local.get $c))
        (v128.store offset=48 (local.get $at) (local.get $d))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $blocks))))

  ;; model.exp_neg at x = −|zᵢ|: k = ⌊x·32/ln2 + ½⌋, r = (x − k·step_hi) − k·step_lo, q = ⌊k/32⌋, then
  ;; (2^((k − 32q)/32) · p(r)) · 2^q, 2^q built from its bits as 2^(q + 64) · 2⁻⁶⁴ (exact, as Python's
  ;; ldexp, down to where 2^q rounds to 0). The maxima here and in softplus are f64x2.pmax (x < c ? c : x,
  ;; one instruction, where f64x2.max spends several on NaN and −0: no NaN reaches here, the run stops at
  ;; the first step that leaves the floats, and max(−0, 0)'s sign is lost in the sum it is added to).
  (func $exps
    (local $i i32) (local $x v128) (local $k v128) (local $q v128) (local $power v128)
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $i) (i32.shl (global.get $mp) (i32.const 3))))
        (local.set $x (f64x2.pmax
          (f64x2.neg (f64x2.abs (v128.load (i32.add (global.get $scores) (local.get $i)))))
          (f64x2.splat (f64.const -746))))
        (local.set $k (f64x2.floor (f64x2.add (f64x2.mul (local.get $x) (f64x2.splat (global.get $expScale)))
          (f64x2.splat (f64.const 0.5)))))
        (local.set $q (f64x2.floor (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1p-5)))))  ;; k/32, exactly
        (local.set $power (f64x2.mul
          (i64x2.shl
            (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $q)))
              (i64x2.splat (i64.const 1087)))  ;; 1 023 + 64
            (i32.const 52))
          (f64x2.splat (f64.const 0x1p-64))))
        (v128.store (i32.add (global.get $exps) (local.get $i))
          (f64x2.mul
            (f64x2.mul
              (call $lookup (global.get $expTable)
                (f64x2.sub (local.get $k) (f64x2.mul (f64x2.splat (f64.const 32)) (local.get $q))))
              (call $polynomial (global.get $expCoefficients) (global.get $expDegree)
                (f64x2.sub
                  (f64x2.sub (local.get $x) (f64x2.mul (local.get $k) (f64x2.splat (global.get $expStepHi))))
                  (f64x2.mul (local.get $k) (f64x2.splat (global.get $expStepLo))))))
            (local.get $power)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $pairs))))

  ;; From zᵢ and eᵢ = e^{−|zᵢ|}: the gradient's residuals rᵢ = (σ(zᵢ) − yᵢ)/m, σ(zᵢ) = (zᵢ ≥ 0 ? 1 : eᵢ)/(1 + eᵢ)
  ;; (model.sigmoid), and the loss's terms softplus(zᵢ) − yᵢzᵢ, softplus(zᵢ) = max(zᵢ, 0) + log1p(eᵢ)
  ;; (model.softplus, model.log1p_unit: c = ⌊64e⌋/64, s = (e − c)/(2 + c + e), log(1 + c) + 2s·p(s²)).
  (func $residualsAndTerms (param $r i32)
    (local $i i32) (local $z v128) (local $e v128) (local $y v128) (local $one v128) (local $m v128)
    (local $j v128) (local $c v128) (local $s v128)
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $m (f64x2.splat (f64.convert_i32_s (global.get $m))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $i) (i32.shl (global.get $mp) (i32.const 3))))
        (local.set $z (v128.load (i32.add (global.get $scores) (local.get $i))))
        (local.set $e (v128.load (i32.add (global.get $exps) (local.get $i))))
        (local.set $y (v128.load (i32.add (global.get $y) (local.get $i))))
        (v128.store (i32.add (local.get $r) (local.get $i))
          (f64x2.div
            (f64x2.sub
              (f64x2.div
                (v128.bitselect (local.get $one) (local.get $e) (f64x2.ge (local.get $z) (f64x2.splat (f64.const 0))))
                (f64x2.add (local.get $one) (local.get $e)))
              (local.get $y))
            (local.get $m)))
        (local.set $j (f64x2.floor (f64x2.mul (local.get $e) (f64x2.splat (f64.const 64)))))
        (local.set $c (f64x2.mul (local.get $j) (f64x2.splat (f64.const 0x1p-6))))  ;; j/64, exactly
        (local.set $s (f64x2.div (f64x2.sub (local.get $e) (local.get $c))
          (f64x2.add (f64x2.add (f64x2.splat (f64.const 2)) (local.get $c)) (local.get $e))))
        (v128.store (i32.add (global.get $terms) (local.get $i))
          (f64x2.sub
            (f64x2.add (f64x2.pmax (local.get $z) (f64x2.splat (f64.const 0)))
              (f64x2.add (call $lookup (global.get $logTable) (local.get $j))
                (f64x2.mul (f64x2.mul (f64x2.splat (f64.const 2)) (local.get $s))
                  (call $polynomial (global.get $logCoefficients) (global.get $logDegree)
                    (f64x2.mul (local.get $s) (local.get $s))))))
            (f64x2.mul (local.get $y) (local.get $z))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $pairs))))

  ;; model.heavy_ball_run's steps `from`…`to` of a run (its w, z, g, r and its distances and gaps at the
  ;; pointers given; the residuals r are those of w, kept between calls), with model.distances and the
  ;; loss gap f(wˢ) − f* of each: z ← βz + (g + μw), w ← w − αz. Stops before a step farther from w*
  ;; than cap × the first distance, or past the floats. Returns the step it stopped at (to + 1: none).
  (func (export "advance")
    (param $w i32) (param $z i32) (param $g i32) (param $r i32) (param $distances i32) (param $gaps i32)
    (param $from i32) (param $to i32) (param $alpha f64) (param $beta f64) (result i32)
    (local $s i32) (local $j i32) (local $at i32) (local $v f64) (local $distance f64) (local $norm f64)
    (local $loss f64) (local $zj v128)
    (local.set $s (local.get $from))
    (block $done
      (loop $steps
        (br_if $done (i32.gt_s (local.get $s) (local.get $to)))
        (if (i32.gt_s (local.get $s) (i32.const 0))
          (then
            (call $weightedRows (local.get $r) (local.get $g))
            (local.set $j (i32.const 0))
            (loop $update
              (local.set $zj (f64x2.add
                (f64x2.mul (f64x2.splat (local.get $beta)) (v128.load (i32.add (local.get $z) (local.get $j))))
                (f64x2.add (v128.load (i32.add (local.get $g) (local.get $j)))
                  (f64x2.mul (f64x2.splat (global.get $mu)) (v128.load (i32.add (local.get $w) (local.get $j)))))))
              (v128.store (i32.add (local.get $z) (local.get $j)) (local.get $zj))
              (v128.store (i32.add (local.get $w) (local.get $j))
                (f64x2.sub (v128.load (i32.add (local.get $w) (local.get $j)))
                  (f64x2.mul (f64x2.splat (local.get $alpha)) (local.get $zj))))
              (br_if $update (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (i32.const 256))))))
        ;; ‖wˢ − w*‖ and ‖wˢ‖², the squares added in order
        (local.set $v (f64.sub (f64.load (local.get $w)) (f64.load (global.get $target))))
        (local.set $distance (f64.mul (local.get $v) (local.get $v)))
        (local.set $norm (f64.mul (f64.load (local.get $w)) (f64.load (local.get $w))))
        (local.set $j (i32.const 8))
        (block $squared
          (loop $squares
            (br_if $squared (i32.ge_u (local.get $j) (i32.shl (global.get $dim) (i32.const 3))))
            (local.set $at (i32.add (local.get $w) (local.get $j)))
            (local.set $v (f64.sub (f64.load (local.get $at)) (f64.load (i32.add (global.get $target) (local.get $j)))))
            (local.set $distance (f64.add (local.get $distance) (f64.mul (local.get $v) (local.get $v))))
            (local.set $norm (f64.add (local.get $norm) (f64.mul (f64.load (local.get $at)) (f64.load (local.get $at)))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $squares)))
        (local.set $distance (f64.sqrt (local.get $distance)))
        (br_if $done (i32.eqz (i32.and
          (f64.lt (local.get $distance) (f64.const inf))  ;; false for inf and NaN
          (f64.le (local.get $distance)
            (f64.mul (global.get $cap)
              (select (local.get $distance) (f64.load (local.get $distances)) (i32.eqz (local.get $s))))))))
        (call $scores (local.get $w))
        (call $exps)
        (call $residualsAndTerms (local.get $r))
        ;; f(wˢ) = (Σᵢ termᵢ)/m + (μ/2)‖wˢ‖², the terms added in order
        (local.set $loss (f64.load (global.get $terms)))
        (local.set $j (i32.const 8))
        (block $summed
          (loop $sum
            (br_if $summed (i32.ge_u (local.get $j) (i32.shl (global.get $m) (i32.const 3))))
            (local.set $loss (f64.add (local.get $loss) (f64.load (i32.add (global.get $terms) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $sum)))
        (local.set $at (i32.shl (local.get $s) (i32.const 3)))
        (f64.store (i32.add (local.get $distances) (local.get $at)) (local.get $distance))
        (f64.store (i32.add (local.get $gaps) (local.get $at))
          (f64.sub
            (f64.add (f64.div (local.get $loss) (f64.convert_i32_s (global.get $m)))
              (f64.mul (f64.mul (f64.const 0.5) (global.get $mu)) (local.get $norm)))
            (global.get $fStar)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $steps)))
    (local.get $s))
)
