/* hilbert: the discrete Hilbert transform of a sampled curve, computed exactly as
 * scipy.signal.hilbert does (N-point FFT, doubled positive frequencies, inverse FFT,
 * imaginary part), so the d-band upper edge agrees with pymatgen's. */
#ifndef DS_HILBERT_H
#define DS_HILBERT_H

#include "parsers/io.h"

/* out[i] = Im(analytic signal of in)[i], n >= 1.  Uses FFTW. */
int hilbert_transform(const double *in, int n, double *out, ds_err *err);

#endif
