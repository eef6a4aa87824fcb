;; WebAssembly kernels of core/numeric (f64x2 SIMD). Assembled into
;; kernels_wasm.ts by tools/build_wasm.ts (`deno run -A tools/build_wasm.ts`);
;; tests/core/numeric/wasm/kernels_test.ts checks that file is current.
;;
;; Bit-exactness: each f64x2 lane holds one output value and runs exactly the
;; scalar sequence of IEEE operations (no fused multiply-add in this SIMD set),
;; so a lane gives the bits of the plain scalar loop.
(module
  (memory (export "memory") 1)
  ;; predict: n rows (n even; two per f64x2) of d linear predictions,
  ;;   out[j·ostride + i] = icpt[j] + Σ_k beta[j·p + k] · x[col[j·p + k]·xstride + i]
  ;; for k < count[j], summed one term at a time in ascending k (the order of a
  ;; plain column-by-column sum), eight terms per pass over the rows, then one.
  ;; xb, out, count, col, beta, icpt are byte addresses; strides count elements.
  (func (export "predict") (param $d i32) (param $p i32) (param $n i32) (param $xb i32) (param $xstride i32)
        (param $out i32) (param $ostride i32) (param $count i32) (param $col i32) (param $beta i32) (param $icpt i32)
    (local $j i32) (local $dst i32) (local $m i32) (local $k i32) (local $at i32) (local $i i32) (local $nb i32)
    (local $s v128) (local $b0 v128)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32) (local $c4 i32) (local $c5 i32) (local $c6 i32) (local $c7 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $w4 v128) (local $w5 v128) (local $w6 v128) (local $w7 v128)
    (local $xs i32)
    (local.set $nb (i32.shl (local.get $n) (i32.const 3)))
    (local.set $xs (i32.shl (local.get $xstride) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_u (local.get $j) (local.get $d)))
      (local.set $dst (i32.add (local.get $out) (i32.shl (i32.mul (local.get $j) (local.get $ostride)) (i32.const 3))))
      (local.set $b0 (f64x2.splat (f64.load (i32.add (local.get $icpt) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $m (i32.load (i32.add (local.get $count) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $at (i32.mul (local.get $j) (local.get $p)))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $nb)))
        (v128.store (i32.add (local.get $dst) (local.get $i)) (local.get $b0))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $iloop)))
      (local.set $k (i32.const 0))
      (block $k8done (loop $k8loop
        (br_if $k8done (i32.gt_u (i32.add (local.get $k) (i32.const 8)) (local.get $m)))
        (local.set $c0 (i32.add (local.get $xb) (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 2)))) (local.get $xs))))
        (local.set $c1 (i32.add (local.get $xb) (i32.mul (i32.load offset=4 (i32.add (local.get $col) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 2)))) (local.get $xs))))
        (local.set $c2 (i32.add (local.get $xb) (i32.mul (i32.load offset=8 (i32.add (local.get $col) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 2)))) (local.get $xs))))
        (local.set $c3 (i32.add (local.get $xb) (i32.mul (i32.load offset=12 (i32.add (local.get $col) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 2)))) (local.get $xs))))
        (local.set $c4 (i32.add (local.get $xb) (i32.mul (i32.load offset=16 (i32.add (local.get $col) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 2)))) (local.get $xs))))
        (local.set $c5 (i32.add (local.get $xb) (i32.mul (i32.load offset=20 (i32.add (local.get $col) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 2)))) (local.get $xs))))
        (local.set $c6 (i32.add (local.get $xb) (i32.mul (i32.load offset=24 (i32.add (local.get $col) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 2)))) (local.get $xs))))
        (local.set $c7 (i32.add (local.get $xb) (i32.mul (i32.load offset=28 (i32.add (local.get $col) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 2)))) (local.get $xs))))
        (local.set $w0 (f64x2.splat (f64.load (i32.add (local.get $beta) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 3))))))
        (local.set $w1 (f64x2.splat (f64.load offset=8 (i32.add (local.get $beta) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 3))))))
        (local.set $w2 (f64x2.splat (f64.load offset=16 (i32.add (local.get $beta) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 3))))))
        (local.set $w3 (f64x2.splat (f64.load offset=24 (i32.add (local.get $beta) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 3))))))
        (local.set $w4 (f64x2.splat (f64.load offset=32 (i32.add (local.get $beta) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 3))))))
        (local.set $w5 (f64x2.splat (f64.load offset=40 (i32.add (local.get $beta) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 3))))))
        (local.set $w6 (f64x2.splat (f64.load offset=48 (i32.add (local.get $beta) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 3))))))
        (local.set $w7 (f64x2.splat (f64.load offset=56 (i32.add (local.get $beta) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 3))))))
        (local.set $i (i32.const 0))
        (block $rdone (loop $rloop
          (br_if $rdone (i32.ge_u (local.get $i) (local.get $nb)))
          (local.set $s (v128.load (i32.add (local.get $dst) (local.get $i))))
          (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $w0) (v128.load (i32.add (local.get $c0) (local.get $i))))))
          (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $w1) (v128.load (i32.add (local.get $c1) (local.get $i))))))
          (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $w2) (v128.load (i32.add (local.get $c2) (local.get $i))))))
          (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $w3) (v128.load (i32.add (local.get $c3) (local.get $i))))))
          (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $w4) (v128.load (i32.add (local.get $c4) (local.get $i))))))
          (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $w5) (v128.load (i32.add (local.get $c5) (local.get $i))))))
          (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $w6) (v128.load (i32.add (local.get $c6) (local.get $i))))))
          (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $w7) (v128.load (i32.add (local.get $c7) (local.get $i))))))
          (v128.store (i32.add (local.get $dst) (local.get $i)) (local.get $s))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $rloop)))
        (local.set $k (i32.add (local.get $k) (i32.const 8)))
        (br $k8loop)))
      (block $k1done (loop $k1loop
        (br_if $k1done (i32.ge_u (local.get $k) (local.get $m)))
        (local.set $c0 (i32.add (local.get $xb) (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 2)))) (local.get $xs))))
        (local.set $w0 (f64x2.splat (f64.load (i32.add (local.get $beta) (i32.shl (i32.add (local.get $at) (local.get $k)) (i32.const 3))))))
        (local.set $i (i32.const 0))
        (block $r1done (loop $r1loop
          (br_if $r1done (i32.ge_u (local.get $i) (local.get $nb)))
          (v128.store (i32.add (local.get $dst) (local.get $i))
            (f64x2.add (v128.load (i32.add (local.get $dst) (local.get $i))) (f64x2.mul (local.get $w0) (v128.load (i32.add (local.get $c0) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $r1loop)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $k1loop)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jloop)))
  )
  ;; cross: continues the running sums part[a·ps + b] += Σ_r g[r·gs + a] · g[r·gs + b]
  ;; over the len rows of the row-major chunk g, for every a < p (rounded up to
  ;; even) and b ≤ a + 1 (rounded up to a multiple of 4): the lower triangle and
  ;; a few entries past it, which the caller ignores. Each sum runs over the rows
  ;; in order (one f64x2 lane each), so chunks added in turn give the bits of one
  ;; long loop. The caller pads: ps ≥ p + 4 and gs ≥ p + 4 (the padding columns
  ;; of g are 0 or ignored), and part has p + 1 rows. Rows go in tiles of 128 so a
  ;; tile of g stays in cache while every (a, b) block passes over it.
  (func (export "cross") (param $p i32) (param $len i32) (param $g i32) (param $gs i32)
        (param $part i32) (param $ps i32)
    (local $t0 i32) (local $t1 i32) (local $a i32) (local $b i32) (local $bend i32) (local $r i32)
    (local $rowa i32) (local $rowb i32) (local $gr i32) (local $gsb i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $xa v128) (local $xb v128) (local $u0 v128) (local $u1 v128)
    (local.set $gsb (i32.shl (local.get $gs) (i32.const 3)))
    (local.set $t0 (i32.const 0))
    (block $tdone (loop $tloop
      (br_if $tdone (i32.ge_u (local.get $t0) (local.get $len)))
      (local.set $t1 (i32.add (local.get $t0) (i32.const 128)))
      (if (i32.gt_u (local.get $t1) (local.get $len)) (then (local.set $t1 (local.get $len))))
      (local.set $a (i32.const 0))
      (block $adone (loop $aloop
        (br_if $adone (i32.ge_u (local.get $a) (local.get $p)))
        (local.set $rowa (i32.add (local.get $part) (i32.shl (i32.mul (local.get $a) (local.get $ps)) (i32.const 3))))
        (local.set $rowb (i32.add (local.get $rowa) (i32.shl (local.get $ps) (i32.const 3))))
        (local.set $bend (i32.add (local.get $a) (i32.const 2)))
        (local.set $b (i32.const 0))
        (block $bdone (loop $bloop
          (br_if $bdone (i32.ge_u (local.get $b) (local.get $bend)))
          (local.set $s00 (v128.load (i32.add (local.get $rowa) (i32.shl (local.get $b) (i32.const 3)))))
          (local.set $s01 (v128.load offset=16 (i32.add (local.get $rowa) (i32.shl (local.get $b) (i32.const 3)))))
          (local.set $s10 (v128.load (i32.add (local.get $rowb) (i32.shl (local.get $b) (i32.const 3)))))
          (local.set $s11 (v128.load offset=16 (i32.add (local.get $rowb) (i32.shl (local.get $b) (i32.const 3)))))
          (local.set $r (local.get $t0))
          (local.set $gr (i32.add (local.get $g) (i32.mul (local.get $t0) (local.get $gsb))))
          (block $rdone (loop $rloop
            (br_if $rdone (i32.ge_u (local.get $r) (local.get $t1)))
            (local.set $xa (f64x2.splat (f64.load (i32.add (local.get $gr) (i32.shl (local.get $a) (i32.const 3))))))
            (local.set $xb (f64x2.splat (f64.load offset=8 (i32.add (local.get $gr) (i32.shl (local.get $a) (i32.const 3))))))
            (local.set $u0 (v128.load (i32.add (local.get $gr) (i32.shl (local.get $b) (i32.const 3)))))
            (local.set $u1 (v128.load offset=16 (i32.add (local.get $gr) (i32.shl (local.get $b) (i32.const 3)))))
            (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $xa) (local.get $u0))))
            (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $xa) (local.get $u1))))
            (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $xb) (local.get $u0))))
            (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $xb) (local.get $u1))))
            (local.set $gr (i32.add (local.get $gr) (local.get $gsb)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rloop)))
          (v128.store (i32.add (local.get $rowa) (i32.shl (local.get $b) (i32.const 3))) (local.get $s00))
          (v128.store offset=16 (i32.add (local.get $rowa) (i32.shl (local.get $b) (i32.const 3))) (local.get $s01))
          (v128.store (i32.add (local.get $rowb) (i32.shl (local.get $b) (i32.const 3))) (local.get $s10))
          (v128.store offset=16 (i32.add (local.get $rowb) (i32.shl (local.get $b) (i32.const 3))) (local.get $s11))
          (local.set $b (i32.add (local.get $b) (i32.const 4)))
          (br $bloop)))
        (local.set $a (i32.add (local.get $a) (i32.const 2)))
        (br $aloop)))
      (local.set $t0 (local.get $t1))
      (br $tloop)))
  )
  ;; battery: T sequential tests (P = ceil(T/2) pairs, test t in lane t & 1 of
  ;; pair t >> 1) over the n innovations e, as runBattery in sequential_tests.ts
  ;; runs them: per finite e_i, v = e_i clipped to ±clip and
  ;;   s ← min(max(s + ((a + b·v) + (c·v)·v), 0), top)   (pmax / pmin: the JS branches)
  ;; per test, s = 0 where hold_i = 1 (hold ≥ 0 is the byte address of the hold
  ;; flags, −1 = none); with hasMax the running maximum m ← max(m, s); with
  ;; best ≥ 0 per row the largest s·inv over the tests in test order (0 and −1
  ;; when none is above 0: a tie keeps the first test) into best (f64) and bt
  ;; (i32). par holds per pair the v128s a, b, c, top, inv (80 bytes); state
  ;; per pair s and m (32 bytes), read as the start and written back at the end.
  (func (export "battery") (param $P i32) (param $T i32) (param $n i32) (param $e i32) (param $hold i32)
        (param $par i32) (param $state i32) (param $best i32) (param $bt i32) (param $hasMax i32) (param $clip f64)
    (local $i i32) (local $p i32) (local $t i32) (local $x f64) (local $v v128) (local $s v128)
    (local $pp i32) (local $sp i32) (local $b f64) (local $bi i32) (local $r f64) (local $nclip f64)
    (local $hf i32)
    (local.set $nclip (f64.neg (local.get $clip)))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $x (f64.load (i32.add (local.get $e) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $hf (i32.const 0))
      (if (i32.ge_s (local.get $hold) (i32.const 0))
        (then (local.set $hf (i32.eq (i32.load8_u (i32.add (local.get $hold) (local.get $i))) (i32.const 1)))))
      (if (local.get $hf)
        (then
          (local.set $p (i32.const 0))
          (block $zdone (loop $zloop
            (br_if $zdone (i32.ge_u (local.get $p) (local.get $P)))
            (v128.store (i32.add (local.get $state) (i32.shl (local.get $p) (i32.const 5))) (v128.const f64x2 0 0))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $zloop))))
        (else
          (if (f64.eq (f64.sub (local.get $x) (local.get $x)) (f64.const 0))
            (then
              (local.set $v (f64x2.splat
                (select (local.get $clip)
                  (select (local.get $nclip) (local.get $x) (f64.lt (local.get $x) (local.get $nclip)))
                  (f64.gt (local.get $x) (local.get $clip)))))
              (local.set $p (i32.const 0))
              (block $pdone (loop $ploop
                (br_if $pdone (i32.ge_u (local.get $p) (local.get $P)))
                (local.set $pp (i32.add (local.get $par) (i32.mul (local.get $p) (i32.const 80))))
                (local.set $sp (i32.add (local.get $state) (i32.shl (local.get $p) (i32.const 5))))
                (local.set $s (f64x2.add (v128.load (local.get $sp))
                  (f64x2.add
                    (f64x2.add (v128.load (local.get $pp)) (f64x2.mul (v128.load offset=16 (local.get $pp)) (local.get $v)))
                    (f64x2.mul (f64x2.mul (v128.load offset=32 (local.get $pp)) (local.get $v)) (local.get $v)))))
                (local.set $s (f64x2.pmin (f64x2.pmax (local.get $s) (v128.const f64x2 0 0)) (v128.load offset=48 (local.get $pp))))
                (v128.store (local.get $sp) (local.get $s))
                (if (local.get $hasMax)
                  (then (v128.store offset=16 (local.get $sp) (f64x2.pmax (v128.load offset=16 (local.get $sp)) (local.get $s)))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $ploop)))))))
      (if (i32.ge_s (local.get $best) (i32.const 0))
        (then
          (local.set $b (f64.const 0))
          (local.set $bi (i32.const -1))
          (local.set $t (i32.const 0))
          (block $tdone (loop $tloop
            (br_if $tdone (i32.ge_u (local.get $t) (local.get $T)))
            ;; lane t & 1 of pair t >> 1: s at state + (t >> 1)·32 + (t & 1)·8, inv at par + (t >> 1)·80 + 64 + (t & 1)·8
            (local.set $r (f64.mul
              (f64.load (i32.add (local.get $state) (i32.add (i32.shl (i32.shr_u (local.get $t) (i32.const 1)) (i32.const 5)) (i32.shl (i32.and (local.get $t) (i32.const 1)) (i32.const 3)))))
              (f64.load offset=64 (i32.add (local.get $par) (i32.add (i32.mul (i32.shr_u (local.get $t) (i32.const 1)) (i32.const 80)) (i32.shl (i32.and (local.get $t) (i32.const 1)) (i32.const 3)))))))
            (if (f64.gt (local.get $r) (local.get $b)) (then (local.set $b (local.get $r)) (local.set $bi (local.get $t))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $tloop)))
          (f64.store (i32.add (local.get $best) (i32.shl (local.get $i) (i32.const 3))) (local.get $b))
          (i32.store (i32.add (local.get $bt) (i32.shl (local.get $i) (i32.const 2))) (local.get $bi))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
  )
  ;; rowdist: Euclidean distances from four rows to the rows q in [q0, q1) of the
  ;; row-major s (n × d, byte address s): the four rows' values sit at quad in two
  ;; interleaved pairs (rows 0, 1 at quad + 16·j, rows 2, 3 at quad + 16·(d + j),
  ;; lane l the row's column j), and row l's distance to q goes to
  ;; out + 8·(l·ostride + q). Each lane sums (a_j − q_j)² in ascending j from 0
  ;; then takes the square root: the scalar loop's operations, so its bits. Two
  ;; rows q per pass share each load of the four rows.
  (func (export "rowdist") (param $s i32) (param $d i32) (param $quad i32) (param $q0 i32) (param $q1 i32)
        (param $out i32) (param $ostride i32)
    (local $q i32) (local $j i32) (local $db i32) (local $pa i32) (local $pb i32) (local $qa i32) (local $qe i32)
    (local $o i32) (local $os i32) (local $a01 v128) (local $a23 v128) (local $b01 v128) (local $b23 v128)
    (local $u v128) (local $v v128) (local $t v128) (local $x01 v128) (local $x23 v128)
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    (local.set $os (i32.shl (local.get $ostride) (i32.const 3)))
    (local.set $q (local.get $q0))
    (block $qdone (loop $qloop
      (br_if $qdone (i32.ge_u (local.get $q) (local.get $q1)))
      (local.set $a01 (v128.const f64x2 0 0))
      (local.set $a23 (v128.const f64x2 0 0))
      (local.set $b01 (v128.const f64x2 0 0))
      (local.set $b23 (v128.const f64x2 0 0))
      (local.set $qa (i32.add (local.get $s) (i32.mul (local.get $q) (local.get $db))))
      ;; the second row q + 1, or q again at the end (its results then not stored)
      (local.set $qe (local.get $qa))
      (if (i32.lt_u (i32.add (local.get $q) (i32.const 1)) (local.get $q1))
        (then (local.set $qe (i32.add (local.get $qa) (local.get $db)))))
      (local.set $pa (local.get $quad))
      (local.set $pb (i32.add (local.get $quad) (i32.shl (local.get $d) (i32.const 4))))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $db)))
        (local.set $x01 (v128.load (local.get $pa)))
        (local.set $x23 (v128.load (local.get $pb)))
        (local.set $u (f64x2.splat (f64.load (i32.add (local.get $qa) (local.get $j)))))
        (local.set $v (f64x2.splat (f64.load (i32.add (local.get $qe) (local.get $j)))))
        (local.set $t (f64x2.sub (local.get $x01) (local.get $u)))
        (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $t (f64x2.sub (local.get $x23) (local.get $u)))
        (local.set $a23 (f64x2.add (local.get $a23) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $t (f64x2.sub (local.get $x01) (local.get $v)))
        (local.set $b01 (f64x2.add (local.get $b01) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $t (f64x2.sub (local.get $x23) (local.get $v)))
        (local.set $b23 (f64x2.add (local.get $b23) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jloop)))
      (local.set $a01 (f64x2.sqrt (local.get $a01)))
      (local.set $a23 (f64x2.sqrt (local.get $a23)))
      (local.set $o (i32.add (local.get $out) (i32.shl (local.get $q) (i32.const 3))))
      (f64.store (local.get $o) (f64x2.extract_lane 0 (local.get $a01)))
      (f64.store (i32.add (local.get $o) (local.get $os)) (f64x2.extract_lane 1 (local.get $a01)))
      (f64.store (i32.add (local.get $o) (i32.shl (local.get $os) (i32.const 1))) (f64x2.extract_lane 0 (local.get $a23)))
      (f64.store (i32.add (local.get $o) (i32.mul (local.get $os) (i32.const 3))) (f64x2.extract_lane 1 (local.get $a23)))
      (if (i32.lt_u (i32.add (local.get $q) (i32.const 1)) (local.get $q1))
        (then
          (local.set $b01 (f64x2.sqrt (local.get $b01)))
          (local.set $b23 (f64x2.sqrt (local.get $b23)))
          (local.set $o (i32.add (local.get $o) (i32.const 8)))
          (f64.store (local.get $o) (f64x2.extract_lane 0 (local.get $b01)))
          (f64.store (i32.add (local.get $o) (local.get $os)) (f64x2.extract_lane 1 (local.get $b01)))
          (f64.store (i32.add (local.get $o) (i32.shl (local.get $os) (i32.const 1))) (f64x2.extract_lane 0 (local.get $b23)))
          (f64.store (i32.add (local.get $o) (i32.mul (local.get $os) (i32.const 3))) (f64x2.extract_lane 1 (local.get $b23)))))
      (local.set $q (i32.add (local.get $q) (i32.const 2)))
      (br $qloop)))
  )
  ;; seedtrials: one k-means++ step for 2·P candidate centres at once (the
  ;; trials of kmeansPlusPlus, in pairs: candidate 2p + l is lane l of the d
  ;; v128s at cand + 16·d·p). Per row i of the row-major x (n × d), with its
  ;; closest chosen centre o = owner[i] (i32) at squared distance cl = closest[i]:
  ;; trial t skips the row when tc[t·kk + o] > cl (the triangle-inequality test,
  ;; precomputed by the caller), else computes dd = Σ_j (x_ij − cand_tj)² (one
  ;; lane, ascending j) and takes it when dd < cl. It writes the new closest
  ;; distance and owner (c when taken) to out[t·n + i] (f64) and oout[t·n + i]
  ;; (i32), and adds the distance to pots[t] in row order, for the trials t < T
  ;; (2·P − 1 ≤ T ≤ 2·P; an odd T leaves the last lane as padding). Rows go in pairs and
  ;; candidates in two pairs per pass (four independent sums hide the add
  ;; latency); a pass runs when any of its lanes needs it. tmp: 64 bytes.
  (func (export "seedtrials") (param $x i32) (param $d i32) (param $n i32) (param $cand i32) (param $P i32)
        (param $tc i32) (param $kk i32) (param $closest i32) (param $owner i32) (param $out i32)
        (param $oout i32) (param $pots i32) (param $c i32) (param $tmp i32) (param $T i32)
    (local $i i32) (local $p i32) (local $j i32) (local $db i32) (local $xi i32) (local $xk i32)
    (local $cl f64) (local $o i32) (local $cl1 f64) (local $o1 i32) (local $two i32)
    (local $np i32) (local $need i32) (local $need1 i32) (local $l i32) (local $tt i32) (local $ca i32) (local $cb i32)
    (local $a v128) (local $b v128) (local $a1 v128) (local $b1 v128) (local $u v128) (local $u1 v128) (local $t v128)
    (local $lanes i32) (local $r i32)
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
      ;; rows i and i + 1 (or i twice at the end, the second copy not written)
      (local.set $two (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
      (local.set $xi (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $db))))
      (local.set $xk (select (i32.add (local.get $xi) (local.get $db)) (local.get $xi) (local.get $two)))
      (local.set $cl (f64.load (i32.add (local.get $closest) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $o (i32.load (i32.add (local.get $owner) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $cl1 (local.get $cl))
      (local.set $o1 (local.get $o))
      (if (local.get $two)
        (then
          (local.set $cl1 (f64.load offset=8 (i32.add (local.get $closest) (i32.shl (local.get $i) (i32.const 3)))))
          (local.set $o1 (i32.load offset=4 (i32.add (local.get $owner) (i32.shl (local.get $i) (i32.const 2)))))))
      (local.set $p (i32.const 0))
      (block $pdone (loop $ploop
        (br_if $pdone (i32.ge_u (local.get $p) (local.get $P)))
        (local.set $np (i32.sub (local.get $P) (local.get $p)))
        (if (i32.gt_u (local.get $np) (i32.const 2)) (then (local.set $np (i32.const 2))))
        ;; the trials of this pass (a padding lane past T is computed, not used)
        (local.set $lanes (i32.sub (local.get $T) (i32.shl (local.get $p) (i32.const 1))))
        (if (i32.gt_u (local.get $lanes) (i32.shl (local.get $np) (i32.const 1)))
          (then (local.set $lanes (i32.shl (local.get $np) (i32.const 1)))))
        (local.set $need (i32.const 0))
        (local.set $need1 (i32.const 0))
        (local.set $l (i32.const 0))
        (block $ndone (loop $nloop
          (br_if $ndone (i32.ge_u (local.get $l) (local.get $lanes)))
          (local.set $tt (i32.add (i32.shl (local.get $p) (i32.const 1)) (local.get $l)))
          (if (i32.eqz (f64.gt
                (f64.load (i32.add (local.get $tc) (i32.shl (i32.add (i32.mul (local.get $tt) (local.get $kk)) (local.get $o)) (i32.const 3))))
                (local.get $cl)))
            (then (local.set $need (i32.or (local.get $need) (i32.shl (i32.const 1) (local.get $l))))))
          (if (i32.and (local.get $two) (i32.eqz (f64.gt
                (f64.load (i32.add (local.get $tc) (i32.shl (i32.add (i32.mul (local.get $tt) (local.get $kk)) (local.get $o1)) (i32.const 3))))
                (local.get $cl1))))
            (then (local.set $need1 (i32.or (local.get $need1) (i32.shl (i32.const 1) (local.get $l))))))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))
          (br $nloop)))
        (if (i32.or (local.get $need) (local.get $need1))
          (then
            (local.set $a (v128.const f64x2 0 0))
            (local.set $b (v128.const f64x2 0 0))
            (local.set $a1 (v128.const f64x2 0 0))
            (local.set $b1 (v128.const f64x2 0 0))
            (local.set $ca (i32.add (local.get $cand) (i32.mul (local.get $p) (i32.shl (local.get $d) (i32.const 4)))))
            (local.set $cb (local.get $ca))
            (if (i32.eq (local.get $np) (i32.const 2))
              (then (local.set $cb (i32.add (local.get $ca) (i32.shl (local.get $d) (i32.const 4))))))
            (local.set $j (i32.const 0))
            (block $jdone (loop $jloop
              (br_if $jdone (i32.ge_u (local.get $j) (local.get $db)))
              (local.set $u (f64x2.splat (f64.load (i32.add (local.get $xi) (local.get $j)))))
              (local.set $u1 (f64x2.splat (f64.load (i32.add (local.get $xk) (local.get $j)))))
              (local.set $t (f64x2.sub (local.get $u) (v128.load (local.get $ca))))
              (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $t) (local.get $t))))
              (local.set $t (f64x2.sub (local.get $u) (v128.load (local.get $cb))))
              (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $t) (local.get $t))))
              (local.set $t (f64x2.sub (local.get $u1) (v128.load (local.get $ca))))
              (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $t) (local.get $t))))
              (local.set $t (f64x2.sub (local.get $u1) (v128.load (local.get $cb))))
              (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $t) (local.get $t))))
              (local.set $ca (i32.add (local.get $ca) (i32.const 16)))
              (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
              (local.set $j (i32.add (local.get $j) (i32.const 8)))
              (br $jloop)))
            (v128.store (local.get $tmp) (local.get $a))
            (v128.store offset=16 (local.get $tmp) (local.get $b))
            (v128.store offset=32 (local.get $tmp) (local.get $a1))
            (v128.store offset=48 (local.get $tmp) (local.get $b1))))
        (call $seedtake (local.get $p) (local.get $lanes) (local.get $need) (local.get $cl) (local.get $o)
          (local.get $i) (local.get $n) (local.get $out) (local.get $oout) (local.get $pots) (local.get $c) (local.get $tmp))
        (if (local.get $two)
          (then
            (call $seedtake (local.get $p) (local.get $lanes) (local.get $need1) (local.get $cl1) (local.get $o1)
              (i32.add (local.get $i) (i32.const 1)) (local.get $n) (local.get $out) (local.get $oout) (local.get $pots)
              (local.get $c) (i32.add (local.get $tmp) (i32.const 32)))))
        (local.set $p (i32.add (local.get $p) (local.get $np)))
        (br $ploop)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $iloop)))
  )
  ;; seedtake (for seedtrials): row i's new closest distance and owner for the
  ;; trials 2p .. 2p + lanes − 1, lane l's distance at tmp + 8·l when bit l of need.
  (func $seedtake (param $p i32) (param $lanes i32) (param $need i32) (param $cl f64) (param $o i32) (param $i i32)
        (param $n i32) (param $out i32) (param $oout i32) (param $pots i32) (param $c i32) (param $tmp i32)
    (local $l i32) (local $tt i32) (local $dd f64) (local $v f64) (local $w i32) (local $at i32)
    (local.set $l (i32.const 0))
    (block $wdone (loop $wloop
      (br_if $wdone (i32.ge_u (local.get $l) (local.get $lanes)))
      (local.set $tt (i32.add (i32.shl (local.get $p) (i32.const 1)) (local.get $l)))
      (local.set $v (local.get $cl))
      (local.set $w (local.get $o))
      (if (i32.and (local.get $need) (i32.shl (i32.const 1) (local.get $l)))
        (then
          (local.set $dd (f64.load (i32.add (local.get $tmp) (i32.shl (local.get $l) (i32.const 3)))))
          (if (f64.lt (local.get $dd) (local.get $cl))
            (then (local.set $v (local.get $dd)) (local.set $w (local.get $c))))))
      (local.set $at (i32.add (i32.mul (local.get $tt) (local.get $n)) (local.get $i)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $at) (i32.const 3))) (local.get $v))
      (i32.store (i32.add (local.get $oout) (i32.shl (local.get $at) (i32.const 2))) (local.get $w))
      (f64.store (i32.add (local.get $pots) (i32.shl (local.get $tt) (i32.const 3)))
        (f64.add (f64.load (i32.add (local.get $pots) (i32.shl (local.get $tt) (i32.const 3)))) (local.get $v)))
      (local.set $l (i32.add (local.get $l) (i32.const 1)))
      (br $wloop)))
  )
  ;; Lloyd iterations with Hamerly's bounds (lloyd in kmeans_lloyd.ts). The k
  ;; centres are at cen (row-major k × d) and in pairs at cp (centre 2p + l is
  ;; lane l of the d v128s at cp + 16·d·p; an odd k padded); dist holds two rows'
  ;; distances to every centre (32·P bytes, P = ⌈k/2⌉ pairs).
  (global $nbest (mut i32) (i32.const 0))
  (global $nnear (mut f64) (f64.const 0))
  (global $nsecond (mut f64) (f64.const 0))
  ;; dists2: squared distances of the rows at xi and xk to every centre, each lane
  ;; Σ_j (x_j − c_j)² in ascending j, into dist (row xi) and dist + 16·P (row xk);
  ;; two pairs of centres per pass over the rows (four independent sums).
  (func $dists2 (param $xi i32) (param $xk i32) (param $d i32) (param $cp i32) (param $P i32) (param $dist i32)
    (local $p i32) (local $j i32) (local $db i32) (local $ca i32) (local $cb i32) (local $two i32)
    (local $a v128) (local $b v128) (local $a1 v128) (local $b1 v128) (local $u v128) (local $u1 v128)
    (local $t v128) (local $ta v128) (local $tb v128)
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    (local.set $p (i32.const 0))
    (block $pdone (loop $ploop
      (br_if $pdone (i32.ge_u (local.get $p) (local.get $P)))
      (local.set $a (v128.const f64x2 0 0))
      (local.set $b (v128.const f64x2 0 0))
      (local.set $a1 (v128.const f64x2 0 0))
      (local.set $b1 (v128.const f64x2 0 0))
      (local.set $ca (i32.add (local.get $cp) (i32.mul (local.get $p) (i32.shl (local.get $d) (i32.const 4)))))
      (local.set $two (i32.lt_u (i32.add (local.get $p) (i32.const 1)) (local.get $P)))
      (local.set $cb (select (i32.add (local.get $ca) (i32.shl (local.get $d) (i32.const 4))) (local.get $ca) (local.get $two)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $db)))
        (local.set $u (f64x2.splat (f64.load (i32.add (local.get $xi) (local.get $j)))))
        (local.set $u1 (f64x2.splat (f64.load (i32.add (local.get $xk) (local.get $j)))))
        (local.set $ta (v128.load (local.get $ca)))
        (local.set $tb (v128.load (local.get $cb)))
        (local.set $t (f64x2.sub (local.get $u) (local.get $ta)))
        (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $t (f64x2.sub (local.get $u) (local.get $tb)))
        (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $t (f64x2.sub (local.get $u1) (local.get $ta)))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $t (f64x2.sub (local.get $u1) (local.get $tb)))
        (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $t) (local.get $t))))
        (local.set $ca (i32.add (local.get $ca) (i32.const 16)))
        (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jloop)))
      (v128.store (i32.add (local.get $dist) (i32.shl (local.get $p) (i32.const 4))) (local.get $a))
      (v128.store (i32.add (i32.add (local.get $dist) (i32.shl (local.get $P) (i32.const 4))) (i32.shl (local.get $p) (i32.const 4))) (local.get $a1))
      (if (local.get $two)
        (then
          (v128.store offset=16 (i32.add (local.get $dist) (i32.shl (local.get $p) (i32.const 4))) (local.get $b))
          (v128.store offset=16 (i32.add (i32.add (local.get $dist) (i32.shl (local.get $P) (i32.const 4))) (i32.shl (local.get $p) (i32.const 4))) (local.get $b1))))
      (local.set $p (i32.add (local.get $p) (i32.const 2)))
      (br $ploop)))
  )
  ;; pick2: in centre order over the k squared distances at dist, the nearest
  ;; (ties: lower index) and second nearest: $nbest, and the square roots of both
  ;; in $nnear, $nsecond.
  (func $pick2 (param $dist i32) (param $k i32)
    (local $c i32) (local $dd f64) (local $best i32) (local $bestD f64) (local $second f64)
    (local.set $best (i32.const 0))
    (local.set $bestD (f64.const inf))
    (local.set $second (f64.const inf))
    (local.set $c (i32.const 0))
    (block $cdone (loop $cloop
      (br_if $cdone (i32.ge_u (local.get $c) (local.get $k)))
      (local.set $dd (f64.load (i32.add (local.get $dist) (i32.shl (local.get $c) (i32.const 3)))))
      (if (f64.lt (local.get $dd) (local.get $bestD))
        (then
          (local.set $second (local.get $bestD))
          (local.set $bestD (local.get $dd))
          (local.set $best (local.get $c)))
        (else
          (if (f64.lt (local.get $dd) (local.get $second)) (then (local.set $second (local.get $dd))))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cloop)))
    (global.set $nbest (local.get $best))
    (global.set $nnear (f64.sqrt (local.get $bestD)))
    (global.set $nsecond (f64.sqrt (local.get $second)))
  )
  ;; nearest2: for every row i < n of x (row-major n × d), its nearest centre into
  ;; labels[i] (i32) and the distances to the nearest and second nearest into
  ;; upper[i] and lower[i] (f64); rows in pairs.
  (func (export "nearest2") (param $x i32) (param $d i32) (param $n i32) (param $cp i32) (param $k i32)
        (param $dist i32) (param $labels i32) (param $upper i32) (param $lower i32)
    (local $i i32) (local $db i32) (local $P i32) (local $xi i32) (local $r i32) (local $e i32)
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    (local.set $P (i32.shr_u (i32.add (local.get $k) (i32.const 1)) (i32.const 1)))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $xi (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $db))))
      (local.set $e (select (i32.const 2) (i32.const 1) (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n))))
      (call $dists2 (local.get $xi)
        (select (i32.add (local.get $xi) (local.get $db)) (local.get $xi) (i32.eq (local.get $e) (i32.const 2)))
        (local.get $d) (local.get $cp) (local.get $P) (local.get $dist))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $e)))
        (call $pick2 (i32.add (local.get $dist) (i32.mul (local.get $r) (i32.shl (local.get $P) (i32.const 4)))) (local.get $k))
        (i32.store (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2))) (global.get $nbest))
        (f64.store (i32.add (local.get $upper) (i32.shl (local.get $i) (i32.const 3))) (global.get $nnear))
        (f64.store (i32.add (local.get $lower) (i32.shl (local.get $i) (i32.const 3))) (global.get $nsecond))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop)))
      (br $iloop)))
  )
  ;; reassign: one Hamerly step after the centres moved by move[c] (f64, k), as
  ;; the row loop in lloyd (kmeans_lloyd.ts), in three passes that keep each
  ;; row's operations and the row order of the sums: (1) per row i with label a,
  ;; upper += move[a], lower −= (a = top ? second : moveTop), bound = max(half[a],
  ;; lower) (half[a] when greater); rows past the bound and their bounds go to
  ;; list (i32) and bnd (f64). (2) Their upper bounds become the exact distances
  ;; to their centres (Σ_j (x_j − c_aj)² in ascending j, square root; four rows
  ;; per pass); those still past the bound stay listed. (3) These are relabelled
  ;; (dists2, two rows at a time, then pick2 in row order), and a row changing
  ;; cluster moves its values between the cluster sums (row-major k × d) and
  ;; counts (i32).
  (func (export "reassign") (param $x i32) (param $d i32) (param $n i32) (param $cen i32) (param $cp i32) (param $k i32)
        (param $dist i32) (param $labels i32) (param $upper i32) (param $lower i32) (param $move i32) (param $half i32)
        (param $top i32) (param $second f64) (param $moveTop f64) (param $sums i32) (param $counts i32)
        (param $list i32) (param $bnd i32)
    (local $i i32) (local $db i32) (local $a i32) (local $u f64) (local $lw f64) (local $h f64) (local $bound f64)
    (local $m i32) (local $w i32) (local $q i32) (local $i2 i32) (local $two i32) (local $xi i32) (local $xk i32)
    (local $ca i32) (local $ck i32) (local $j i32) (local $s f64) (local $s2 f64) (local $t f64) (local $t2 f64)
    (local $P i32) (local $r i32) (local $e i32)
    (local $i3 i32) (local $i4 i32) (local $x3 i32) (local $x4 i32) (local $c3 i32) (local $c4 i32)
    (local $s3 f64) (local $s4 f64) (local $t3 f64) (local $t4 f64)
    (local $a2 i32) (local $vu v128) (local $vl v128) (local $vh v128) (local $vb v128) (local $vm v128)
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    ;; (1) bounds, two rows per f64x2 (lane l row i + l, the scalar operations
    ;; lane-wise), then the odd last row alone
    (local.set $m (i32.const 0))
    (local.set $i (i32.const 0))
    (block $pairdone (loop $pairloop
      (br_if $pairdone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
      (local.set $a (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $a2 (i32.load offset=4 (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $vu (f64x2.add (v128.load (i32.add (local.get $upper) (i32.shl (local.get $i) (i32.const 3))))
        (f64x2.replace_lane 1
          (f64x2.splat (f64.load (i32.add (local.get $move) (i32.shl (local.get $a) (i32.const 3)))))
          (f64.load (i32.add (local.get $move) (i32.shl (local.get $a2) (i32.const 3)))))))
      (v128.store (i32.add (local.get $upper) (i32.shl (local.get $i) (i32.const 3))) (local.get $vu))
      (local.set $vl (f64x2.sub (v128.load (i32.add (local.get $lower) (i32.shl (local.get $i) (i32.const 3))))
        (f64x2.replace_lane 1
          (f64x2.splat (select (local.get $second) (local.get $moveTop) (i32.eq (local.get $a) (local.get $top))))
          (select (local.get $second) (local.get $moveTop) (i32.eq (local.get $a2) (local.get $top))))))
      (v128.store (i32.add (local.get $lower) (i32.shl (local.get $i) (i32.const 3))) (local.get $vl))
      (local.set $vh (f64x2.replace_lane 1
        (f64x2.splat (f64.load (i32.add (local.get $half) (i32.shl (local.get $a) (i32.const 3)))))
        (f64.load (i32.add (local.get $half) (i32.shl (local.get $a2) (i32.const 3))))))
      (local.set $vb (v128.bitselect (local.get $vh) (local.get $vl) (f64x2.gt (local.get $vh) (local.get $vl))))
      (local.set $vm (f64x2.le (local.get $vu) (local.get $vb)))
      (if (i32.eqz (i64x2.all_true (local.get $vm)))
        (then
          (if (i64.eqz (i64x2.extract_lane 0 (local.get $vm)))
            (then
              (i32.store (i32.add (local.get $list) (i32.shl (local.get $m) (i32.const 2))) (local.get $i))
              (f64.store (i32.add (local.get $bnd) (i32.shl (local.get $m) (i32.const 3))) (f64x2.extract_lane 0 (local.get $vb)))
              (local.set $m (i32.add (local.get $m) (i32.const 1)))))
          (if (i64.eqz (i64x2.extract_lane 1 (local.get $vm)))
            (then
              (i32.store (i32.add (local.get $list) (i32.shl (local.get $m) (i32.const 2))) (i32.add (local.get $i) (i32.const 1)))
              (f64.store (i32.add (local.get $bnd) (i32.shl (local.get $m) (i32.const 3))) (f64x2.extract_lane 1 (local.get $vb)))
              (local.set $m (i32.add (local.get $m) (i32.const 1)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $pairloop)))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $a (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $u (f64.add (f64.load (i32.add (local.get $upper) (i32.shl (local.get $i) (i32.const 3))))
        (f64.load (i32.add (local.get $move) (i32.shl (local.get $a) (i32.const 3))))))
      (f64.store (i32.add (local.get $upper) (i32.shl (local.get $i) (i32.const 3))) (local.get $u))
      (local.set $lw (f64.sub (f64.load (i32.add (local.get $lower) (i32.shl (local.get $i) (i32.const 3))))
        (select (local.get $second) (local.get $moveTop) (i32.eq (local.get $a) (local.get $top)))))
      (f64.store (i32.add (local.get $lower) (i32.shl (local.get $i) (i32.const 3))) (local.get $lw))
      (local.set $h (f64.load (i32.add (local.get $half) (i32.shl (local.get $a) (i32.const 3)))))
      (local.set $bound (select (local.get $h) (local.get $lw) (f64.gt (local.get $h) (local.get $lw))))
      (if (i32.eqz (f64.le (local.get $u) (local.get $bound)))
        (then
          (i32.store (i32.add (local.get $list) (i32.shl (local.get $m) (i32.const 2))) (local.get $i))
          (f64.store (i32.add (local.get $bnd) (i32.shl (local.get $m) (i32.const 3))) (local.get $bound))
          (local.set $m (i32.add (local.get $m) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
    ;; (2) exact upper bounds, four listed rows per pass (four independent sums);
    ;; the list compacted in place
    (local.set $w (i32.const 0))
    (local.set $q (i32.const 0))
    (block $qdone (loop $qloop
      (br_if $qdone (i32.ge_u (local.get $q) (local.get $m)))
      (local.set $e (i32.sub (local.get $m) (local.get $q)))
      (if (i32.gt_u (local.get $e) (i32.const 4)) (then (local.set $e (i32.const 4))))
      ;; rows past the list's end repeat its last row (results not stored)
      (local.set $i (i32.load (i32.add (local.get $list) (i32.shl (local.get $q) (i32.const 2)))))
      (local.set $i2 (i32.load (i32.add (local.get $list) (i32.shl (i32.add (local.get $q) (select (i32.const 1) (i32.const 0) (i32.gt_u (local.get $e) (i32.const 1)))) (i32.const 2)))))
      (local.set $i3 (i32.load (i32.add (local.get $list) (i32.shl (i32.add (local.get $q) (select (i32.const 2) (i32.const 0) (i32.gt_u (local.get $e) (i32.const 2)))) (i32.const 2)))))
      (local.set $i4 (i32.load (i32.add (local.get $list) (i32.shl (i32.add (local.get $q) (select (i32.const 3) (i32.const 0) (i32.gt_u (local.get $e) (i32.const 3)))) (i32.const 2)))))
      (local.set $xi (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $db))))
      (local.set $xk (i32.add (local.get $x) (i32.mul (local.get $i2) (local.get $db))))
      (local.set $x3 (i32.add (local.get $x) (i32.mul (local.get $i3) (local.get $db))))
      (local.set $x4 (i32.add (local.get $x) (i32.mul (local.get $i4) (local.get $db))))
      (local.set $ca (i32.add (local.get $cen) (i32.mul (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))) (local.get $db))))
      (local.set $ck (i32.add (local.get $cen) (i32.mul (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i2) (i32.const 2)))) (local.get $db))))
      (local.set $c3 (i32.add (local.get $cen) (i32.mul (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i3) (i32.const 2)))) (local.get $db))))
      (local.set $c4 (i32.add (local.get $cen) (i32.mul (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i4) (i32.const 2)))) (local.get $db))))
      (local.set $s (f64.const 0))
      (local.set $s2 (f64.const 0))
      (local.set $s3 (f64.const 0))
      (local.set $s4 (f64.const 0))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $db)))
        (local.set $t (f64.sub (f64.load (i32.add (local.get $xi) (local.get $j))) (f64.load (i32.add (local.get $ca) (local.get $j)))))
        (local.set $t2 (f64.sub (f64.load (i32.add (local.get $xk) (local.get $j))) (f64.load (i32.add (local.get $ck) (local.get $j)))))
        (local.set $t3 (f64.sub (f64.load (i32.add (local.get $x3) (local.get $j))) (f64.load (i32.add (local.get $c3) (local.get $j)))))
        (local.set $t4 (f64.sub (f64.load (i32.add (local.get $x4) (local.get $j))) (f64.load (i32.add (local.get $c4) (local.get $j)))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $t) (local.get $t))))
        (local.set $s2 (f64.add (local.get $s2) (f64.mul (local.get $t2) (local.get $t2))))
        (local.set $s3 (f64.add (local.get $s3) (f64.mul (local.get $t3) (local.get $t3))))
        (local.set $s4 (f64.add (local.get $s4) (f64.mul (local.get $t4) (local.get $t4))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jloop)))
      (local.set $w (call $exact (local.get $i) (local.get $s) (local.get $q) (local.get $w) (local.get $upper) (local.get $bnd) (local.get $list)))
      (if (i32.gt_u (local.get $e) (i32.const 1))
        (then (local.set $w (call $exact (local.get $i2) (local.get $s2) (i32.add (local.get $q) (i32.const 1)) (local.get $w) (local.get $upper) (local.get $bnd) (local.get $list)))))
      (if (i32.gt_u (local.get $e) (i32.const 2))
        (then (local.set $w (call $exact (local.get $i3) (local.get $s3) (i32.add (local.get $q) (i32.const 2)) (local.get $w) (local.get $upper) (local.get $bnd) (local.get $list)))))
      (if (i32.gt_u (local.get $e) (i32.const 3))
        (then (local.set $w (call $exact (local.get $i4) (local.get $s4) (i32.add (local.get $q) (i32.const 3)) (local.get $w) (local.get $upper) (local.get $bnd) (local.get $list)))))
      (local.set $q (i32.add (local.get $q) (local.get $e)))
      (br $qloop)))
    ;; (3) relabel the rows left, two at a time, updates in row order
    (local.set $P (i32.shr_u (i32.add (local.get $k) (i32.const 1)) (i32.const 1)))
    (local.set $q (i32.const 0))
    (block $rdone (loop $rowloop
      (br_if $rdone (i32.ge_u (local.get $q) (local.get $w)))
      (local.set $e (select (i32.const 2) (i32.const 1) (i32.lt_u (i32.add (local.get $q) (i32.const 1)) (local.get $w))))
      (local.set $i (i32.load (i32.add (local.get $list) (i32.shl (local.get $q) (i32.const 2)))))
      (local.set $i2 (select (i32.load offset=4 (i32.add (local.get $list) (i32.shl (local.get $q) (i32.const 2)))) (local.get $i) (i32.eq (local.get $e) (i32.const 2))))
      (call $dists2 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $db)))
        (i32.add (local.get $x) (i32.mul (local.get $i2) (local.get $db)))
        (local.get $d) (local.get $cp) (local.get $P) (local.get $dist))
      (call $relabel (local.get $i) (local.get $x) (local.get $d) (local.get $k) (local.get $dist)
        (local.get $labels) (local.get $upper) (local.get $lower) (local.get $sums) (local.get $counts))
      (if (i32.eq (local.get $e) (i32.const 2))
        (then
          (call $relabel (local.get $i2) (local.get $x) (local.get $d) (local.get $k)
            (i32.add (local.get $dist) (i32.shl (local.get $P) (i32.const 4)))
            (local.get $labels) (local.get $upper) (local.get $lower) (local.get $sums) (local.get $counts))))
      (local.set $q (i32.add (local.get $q) (local.get $e)))
      (br $rowloop)))
  )
  ;; relabel (for reassign): row i's nearest centre from its distances at dist
  ;; (pick2); a changed label moves the row between the cluster sums and counts.
  (func $relabel (param $i i32) (param $x i32) (param $d i32) (param $k i32) (param $dist i32)
        (param $labels i32) (param $upper i32) (param $lower i32) (param $sums i32) (param $counts i32)
    (local $a i32) (local $c i32) (local $db i32)
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    (local.set $a (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))))
    (call $pick2 (local.get $dist) (local.get $k))
    (local.set $c (global.get $nbest))
    (i32.store (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2))) (local.get $c))
    (f64.store (i32.add (local.get $upper) (i32.shl (local.get $i) (i32.const 3))) (global.get $nnear))
    (f64.store (i32.add (local.get $lower) (i32.shl (local.get $i) (i32.const 3))) (global.get $nsecond))
    (if (i32.eq (local.get $c) (local.get $a)) (then (return)))
    (i32.store (i32.add (local.get $counts) (i32.shl (local.get $a) (i32.const 2)))
      (i32.sub (i32.load (i32.add (local.get $counts) (i32.shl (local.get $a) (i32.const 2)))) (i32.const 1)))
    (i32.store (i32.add (local.get $counts) (i32.shl (local.get $c) (i32.const 2)))
      (i32.add (i32.load (i32.add (local.get $counts) (i32.shl (local.get $c) (i32.const 2)))) (i32.const 1)))
    (call $movesum (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $db)))
      (i32.add (local.get $sums) (i32.mul (local.get $a) (local.get $db)))
      (i32.add (local.get $sums) (i32.mul (local.get $c) (local.get $db))) (local.get $d))
  )
  ;; exact (for reassign): row i's upper bound √s at list position q; the row
  ;; stays listed (at w, returned w + 1) when it is still past its bound.
  (func $exact (param $i i32) (param $s f64) (param $q i32) (param $w i32) (param $upper i32) (param $bnd i32)
        (param $list i32) (result i32)
    (local $u f64)
    (local.set $u (f64.sqrt (local.get $s)))
    (f64.store (i32.add (local.get $upper) (i32.shl (local.get $i) (i32.const 3))) (local.get $u))
    (if (f64.le (local.get $u) (f64.load (i32.add (local.get $bnd) (i32.shl (local.get $q) (i32.const 3)))))
      (then (return (local.get $w))))
    (i32.store (i32.add (local.get $list) (i32.shl (local.get $w) (i32.const 2))) (local.get $i))
    (i32.add (local.get $w) (i32.const 1))
  )
  ;; movesum: the d values at xi out of the sums at sa and into those at sc
  ;; (sa[j] −= x_j, sc[j] += x_j), two columns per f64x2.
  (func $movesum (param $xi i32) (param $sa i32) (param $sc i32) (param $d i32)
    (local $j i32) (local $db i32) (local $v v128)
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $db)))
      (local.set $v (v128.load (i32.add (local.get $xi) (local.get $j))))
      (v128.store (i32.add (local.get $sa) (local.get $j)) (f64x2.sub (v128.load (i32.add (local.get $sa) (local.get $j))) (local.get $v)))
      (v128.store (i32.add (local.get $sc) (local.get $j)) (f64x2.add (v128.load (i32.add (local.get $sc) (local.get $j))) (local.get $v)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $vloop)))
    (if (i32.lt_u (local.get $j) (local.get $db))
      (then
        (f64.store (i32.add (local.get $sa) (local.get $j))
          (f64.sub (f64.load (i32.add (local.get $sa) (local.get $j))) (f64.load (i32.add (local.get $xi) (local.get $j)))))
        (f64.store (i32.add (local.get $sc) (local.get $j))
          (f64.add (f64.load (i32.add (local.get $sc) (local.get $j))) (f64.load (i32.add (local.get $xi) (local.get $j)))))))
  )
  ;; clustersums: counts[c] (i32) and the row-major sums (k × d, zeroed by the
  ;; caller) of the rows of x labelled c, rows in order (two columns per f64x2,
  ;; each lane one column's running sum).
  (func (export "clustersums") (param $x i32) (param $d i32) (param $n i32) (param $labels i32) (param $sums i32)
        (param $counts i32)
    (local $i i32) (local $c i32) (local $db i32) (local $xi i32) (local $sc i32) (local $j i32)
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $c (i32.load (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))))
      (i32.store (i32.add (local.get $counts) (i32.shl (local.get $c) (i32.const 2)))
        (i32.add (i32.load (i32.add (local.get $counts) (i32.shl (local.get $c) (i32.const 2)))) (i32.const 1)))
      (local.set $xi (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $db))))
      (local.set $sc (i32.add (local.get $sums) (i32.mul (local.get $c) (local.get $db))))
      (local.set $j (i32.const 0))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $db)))
        (v128.store (i32.add (local.get $sc) (local.get $j))
          (f64x2.add (v128.load (i32.add (local.get $sc) (local.get $j))) (v128.load (i32.add (local.get $xi) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vloop)))
      (if (i32.lt_u (local.get $j) (local.get $db))
        (then
          (f64.store (i32.add (local.get $sc) (local.get $j))
            (f64.add (f64.load (i32.add (local.get $sc) (local.get $j))) (f64.load (i32.add (local.get $xi) (local.get $j)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
  )
  ;; addrow: t[q] += v[q] for q < count (f64, byte addresses), two per f64x2.
  (func (export "addrow") (param $t i32) (param $v i32) (param $count i32)
    (local $j i32) (local $end i32)
    (local.set $end (i32.shl (local.get $count) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
      (v128.store (i32.add (local.get $t) (local.get $j))
        (f64x2.add (v128.load (i32.add (local.get $t) (local.get $j))) (v128.load (i32.add (local.get $v) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $vloop)))
    (if (i32.lt_u (local.get $j) (local.get $end))
      (then
        (f64.store (i32.add (local.get $t) (local.get $j))
          (f64.add (f64.load (i32.add (local.get $t) (local.get $j))) (f64.load (i32.add (local.get $v) (local.get $j)))))))
  )
  ;; colmoments: per column j of x (row-major n × d) the sum and the sum of
  ;; squares over the rows in order, added to s[j] and s2[j] (f64, zeroed by the
  ;; caller); two columns per f64x2, each lane one column's running sums.
  (func (export "colmoments") (param $x i32) (param $d i32) (param $n i32) (param $s i32) (param $s2 i32)
    (local $i i32) (local $j i32) (local $db i32) (local $xi i32) (local $v v128) (local $f f64)
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $xi (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $db))))
      (local.set $j (i32.const 0))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $db)))
        (local.set $v (v128.load (i32.add (local.get $xi) (local.get $j))))
        (v128.store (i32.add (local.get $s) (local.get $j)) (f64x2.add (v128.load (i32.add (local.get $s) (local.get $j))) (local.get $v)))
        (v128.store (i32.add (local.get $s2) (local.get $j))
          (f64x2.add (v128.load (i32.add (local.get $s2) (local.get $j))) (f64x2.mul (local.get $v) (local.get $v))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vloop)))
      (if (i32.lt_u (local.get $j) (local.get $db))
        (then
          (local.set $f (f64.load (i32.add (local.get $xi) (local.get $j))))
          (f64.store (i32.add (local.get $s) (local.get $j)) (f64.add (f64.load (i32.add (local.get $s) (local.get $j))) (local.get $f)))
          (f64.store (i32.add (local.get $s2) (local.get $j))
            (f64.add (f64.load (i32.add (local.get $s2) (local.get $j))) (f64.mul (local.get $f) (local.get $f))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
  )
  ;; silsums4: continues the silhouette sums of rows r0 .. r0 + 3 (silhouettesOfSample
  ;; in silhouette.ts) for one labeling: per cluster c < L, the cluster-major sums
  ;; T[c·m + r] (f64) of row r = r0 + l (lane l) add d(r, q) for the members q > r
  ;; of c in ascending q, read from the distance rows dist + 8·(l·m + q). members
  ;; (i32) lists each cluster's rows ascending, from start[c] to start[c + 1] (i32),
  ;; next[c] (i32) the first member not yet passed (advanced here past r0). A row
  ;; whose label lab[r] (i32) is < 0 keeps its sums. Four independent running sums.
  (func (export "silsums4") (param $T i32) (param $m i32) (param $members i32) (param $start i32) (param $next i32)
        (param $L i32) (param $dist i32) (param $r0 i32) (param $lab i32)
    (local $c i32) (local $p i32) (local $end i32) (local $q i32) (local $o i32) (local $mb i32)
    (local $d0 i32) (local $d1 i32) (local $d2 i32) (local $d3 i32)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64)
    (local.set $mb (i32.shl (local.get $m) (i32.const 3)))
    (local.set $d0 (local.get $dist))
    (local.set $d1 (i32.add (local.get $d0) (local.get $mb)))
    (local.set $d2 (i32.add (local.get $d1) (local.get $mb)))
    (local.set $d3 (i32.add (local.get $d2) (local.get $mb)))
    (local.set $c (i32.const 0))
    (block $cdone (loop $cloop
      (br_if $cdone (i32.ge_u (local.get $c) (local.get $L)))
      (local.set $p (i32.load (i32.add (local.get $next) (i32.shl (local.get $c) (i32.const 2)))))
      (local.set $end (i32.load offset=4 (i32.add (local.get $start) (i32.shl (local.get $c) (i32.const 2)))))
      (block $skdone (loop $skloop
        (br_if $skdone (i32.ge_s (local.get $p) (local.get $end)))
        (br_if $skdone (i32.gt_s (i32.load (i32.add (local.get $members) (i32.shl (local.get $p) (i32.const 2)))) (local.get $r0)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $skloop)))
      (i32.store (i32.add (local.get $next) (i32.shl (local.get $c) (i32.const 2))) (local.get $p))
      (local.set $o (i32.add (local.get $T) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $m)) (local.get $r0)) (i32.const 3))))
      (local.set $s0 (f64.load (local.get $o)))
      (local.set $s1 (f64.load offset=8 (local.get $o)))
      (local.set $s2 (f64.load offset=16 (local.get $o)))
      (local.set $s3 (f64.load offset=24 (local.get $o)))
      ;; members in (r0, r0 + 3]: each only for the rows below it
      (block $prdone (loop $prloop
        (br_if $prdone (i32.ge_s (local.get $p) (local.get $end)))
        (local.set $q (i32.load (i32.add (local.get $members) (i32.shl (local.get $p) (i32.const 2)))))
        (br_if $prdone (i32.gt_s (local.get $q) (i32.add (local.get $r0) (i32.const 3))))
        (local.set $s0 (f64.add (local.get $s0) (f64.load (i32.add (local.get $d0) (i32.shl (local.get $q) (i32.const 3))))))
        (if (i32.gt_s (local.get $q) (i32.add (local.get $r0) (i32.const 1)))
          (then (local.set $s1 (f64.add (local.get $s1) (f64.load (i32.add (local.get $d1) (i32.shl (local.get $q) (i32.const 3))))))))
        (if (i32.gt_s (local.get $q) (i32.add (local.get $r0) (i32.const 2)))
          (then (local.set $s2 (f64.add (local.get $s2) (f64.load (i32.add (local.get $d2) (i32.shl (local.get $q) (i32.const 3))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $prloop)))
      (block $mdone (loop $mloop
        (br_if $mdone (i32.ge_s (local.get $p) (local.get $end)))
        (local.set $q (i32.shl (i32.load (i32.add (local.get $members) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 3)))
        (local.set $s0 (f64.add (local.get $s0) (f64.load (i32.add (local.get $d0) (local.get $q)))))
        (local.set $s1 (f64.add (local.get $s1) (f64.load (i32.add (local.get $d1) (local.get $q)))))
        (local.set $s2 (f64.add (local.get $s2) (f64.load (i32.add (local.get $d2) (local.get $q)))))
        (local.set $s3 (f64.add (local.get $s3) (f64.load (i32.add (local.get $d3) (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $mloop)))
      (if (i32.ge_s (i32.load (i32.add (local.get $lab) (i32.shl (local.get $r0) (i32.const 2)))) (i32.const 0))
        (then (f64.store (local.get $o) (local.get $s0))))
      (if (i32.ge_s (i32.load offset=4 (i32.add (local.get $lab) (i32.shl (local.get $r0) (i32.const 2)))) (i32.const 0))
        (then (f64.store offset=8 (local.get $o) (local.get $s1))))
      (if (i32.ge_s (i32.load offset=8 (i32.add (local.get $lab) (i32.shl (local.get $r0) (i32.const 2)))) (i32.const 0))
        (then (f64.store offset=16 (local.get $o) (local.get $s2))))
      (if (i32.ge_s (i32.load offset=12 (i32.add (local.get $lab) (i32.shl (local.get $r0) (i32.const 2)))) (i32.const 0))
        (then (f64.store offset=24 (local.get $o) (local.get $s3))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cloop)))
  )
)
