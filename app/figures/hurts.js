// Page module of /hurts (app/figures/hurts.py): plain descent and momentum at the same α along a sharp
// direction and following a moving target, the rate and tracking-gain curves with where plain descent
// wins, and the readout, computed in the page from the controls.
//
// One expression: a function of the kernel (app/static/kernel.js) giving {read, state, paint}.
(k) => {
  "use strict";
  const {
    readSliders, heavyBallMatrix, eigenErrors, divergenceStep, spectralRadius, iterationsToTolerance, formatNumber,
    rows, pad, showReadout,
  } = k;

  // numpy's complex arithmetic, operation for operation: a product, and a quotient by Smith's method.
  const cmul = ([ar, ai], [br, bi]) => [ar * br - ai * bi, ar * bi + ai * br];
  const cdiv = ([ar, ai], [br, bi]) => {
    if (Math.abs(br) >= Math.abs(bi)) {
      if (br === 0 && bi === 0) return [ar / Math.abs(br), ai / Math.abs(br)];
      const rat = bi / br;
      const scl = 1 / (br + bi * rat);
      return [(ar + ai * rat) * scl, (ai - ar * rat) * scl];
    }
    const rat = br / bi;
    const scl = 1 / (bi + br * rat);
    return [(ar * rat + ai) * scl, (ai * rat - ar) * scl];
  };

  // tracking.tracking_gain: |zH(z) − 1|, z = e^(iω), H(z) = αλz / (z² − (1 + β − αλ)z + β).
  const trackingGain = (lam, alpha, beta, omega) => {
    const z = [Math.cos(omega), Math.sin(omega)];
    const numerator = cmul([alpha * lam, 0], z);
    const zz = cmul(z, z);
    const tz = cmul([1 + beta - alpha * lam, 0], z);
    const denominator = [zz[0] - tz[0] + beta, zz[1] - tz[1]];
    const [re, im] = cmul(z, cdiv(numerator, denominator));
    return Math.hypot(re - 1, im);
  };

  // tracking.tracking_run: w¹…wᴺ for the targets (z⁰ = 0, w⁰ = 0), inf from the first overflow on.
  const trackingRun = (lam, alpha, beta, targets) => {
    const out = new Float64Array(targets.length);
    let [w, z] = [0, 0];
    for (let i = 0; i < targets.length; i++) {
      z = beta * z + lam * (w - targets[i]);
      w = w - alpha * z;
      out[i] = w;
    }
    const bad = out.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) out.fill(Infinity, bad);
    return out;
  };

  // numpy.isclose(a, b, rtol=1e-9, atol=1e-12) (hurts.TIE), infinities equal to themselves.
  const isClose = (a, b) =>
    a === b || (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b));
  const verdict = (plain, heavy, what) => {
    if (!(Number.isFinite(plain) || Number.isFinite(heavy))) return "both diverge";
    if (isClose(plain, heavy)) return "a tie";
    return plain < heavy ? `<b>plain descent wins</b> (${what})` : `momentum wins (${what})`;
  };

  // Hurts.update.
  const state = (spec, { alpha, beta, curvature: lam, omega }) => {
    const { lambdas, omegas, steps, trackSteps, cap, shade, tolerance, methods, texts } = spec;
    const one = { eigenvalues: [lam], eigenvectors: [[1]], w_star: [0] };
    const kTrack = Array.from({ length: trackSteps }, (_, i) => i);
    const target = kTrack.map((i) => Math.cos(omega * i));
    const columns = { lam: lambdas, omega: omegas, k_track: kTrack, target };
    const results = {};
    for (const [key, b] of [["gd", 0], ["momentum", beta]]) {
      const [x] = eigenErrors(one, heavyBallMatrix, alpha, b, [1], steps);
      const error = Array.from(x, Math.abs);
      const cut = divergenceStep(error.map((v) => [v]), cap);
      const shown = cut === null ? error : error.slice(0, Math.max(cut, 1));
      const track = trackingRun(lam, alpha, b, target);
      const trackCut = divergenceStep(Array.from(track, (v) => [v]), cap);
      const tracked = trackCut === null ? Array.from(track) : Array.from(track.subarray(0, Math.max(trackCut, 1)));
      columns[`k_${key}`] = shown.map((_, i) => i);
      columns[`error_${key}`] = shown.map((v) => Math.max(v, 1e-16));
      columns[`rate_${key}`] = lambdas.map((l) => Math.min(spectralRadius(alpha, b, l), shade));
      columns[`gain_${key}`] = omegas.map((w) => Math.min(trackingGain(lam, alpha, b, w), shade));
      columns[`track_${key}`] = tracked.map((v) => Math.min(Math.max(v, -cap), cap));
      results[key] = [spectralRadius(alpha, b, lam), trackingGain(lam, alpha, b, omega)];
    }
    const band = (plain, heavy) => plain.map((v, i) => (v < heavy[i] && !isClose(v, heavy[i]) ? shade : 0));
    columns.lam_gd_wins = band(columns.rate_gd, columns.rate_momentum);
    columns.omega_gd_wins = band(columns.gain_gd, columns.gain_momentum);

    const n = formatNumber;
    const lines = [["<b>sharp direction</b>", `λ = ${n(lam)}, αλ = ${n(alpha * lam)}`]];
    const counts = {};
    for (const [key, label] of methods) {
      const rate = results[key][0];
      counts[key] = iterationsToTolerance(rate, tolerance);
      const count = `${Number.isFinite(counts[key]) ? BigInt(counts[key]) : "inf"} step${counts[key] === 1 ? "" : "s"}`;
      lines.push([label, rate >= 1 ? texts.diverges : `rate ${n(rate)}, ${count} to 10⁻⁶`]);
    }
    lines.push(["verdict", verdict(counts.gd, counts.momentum, "fewer steps")]);
    lines.push(["<b>moving target</b>", `ω = ${n(omega)}`]);
    const gains = {};
    for (const [key, label] of methods) {
      const [rate, gain] = results[key];
      gains[key] = rate >= 1 ? Infinity : gain < 1e-12 ? 0 : gain;
      lines.push([label, rate >= 1 ? texts.diverges : `error amplitude ${n(gains[key])}`]);
    }
    lines.push(["verdict", verdict(gains.gd, gains.momentum, "smaller error")]);
    return { columns: pad(columns), lam, omega, readout: rows(lines) };
  };

  const read = (m) => readSliders(m.sliders);

  const paint = (m, result) => {
    m.frame.data = result.columns;
    m.marks.lam.location = result.lam;
    m.marks.omega.location = result.omega;
    showReadout(m.readout, result.readout);
  };

  return { read, state, paint };
}
