/* hilbert: analytic-signal Hilbert transform (scipy.signal.hilbert convention):
 *   X = FFT_N(x);  h[0] = 1, h[k] = 2 for 0 < k < N/2, h[N/2] = 1 (N even), 0 above;
 *   H[x] = Im(IFFT_N(h X)).  For cos(wt) this gives sin(wt). */
#include "descriptors/hilbert.h"

#include <fftw3.h>
#include <pthread.h>
#include <string.h>

/* FFTW's planner is not thread-safe (FFTW manual, "Thread safety"): planning and
 * destroying plans are serialised here; executing them is safe. */
static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;

int hilbert_transform(const double *in, int n, double *out, ds_err *err)
{
    if (n < 1) return ds_err_set(err, DS_EUSAGE, NULL, 0, "Hilbert transform of an empty curve");
    fftw_complex *buf = fftw_malloc(sizeof(fftw_complex) * (size_t)n);
    if (!buf) return ds_err_set(err, DS_ENOMEM, NULL, 0, "out of memory for the Hilbert transform");
    /* FFTW_ESTIMATE: no timing runs, so results do not depend on machine load. */
    pthread_mutex_lock(&planner_lock);
    fftw_plan fwd = fftw_plan_dft_1d(n, buf, buf, FFTW_FORWARD, FFTW_ESTIMATE);
    fftw_plan inv = fftw_plan_dft_1d(n, buf, buf, FFTW_BACKWARD, FFTW_ESTIMATE);
    pthread_mutex_unlock(&planner_lock);
    if (!fwd || !inv) {
        pthread_mutex_lock(&planner_lock);
        if (fwd) fftw_destroy_plan(fwd);
        if (inv) fftw_destroy_plan(inv);
        pthread_mutex_unlock(&planner_lock);
        fftw_free(buf);
        return ds_err_set(err, DS_ENOMEM, NULL, 0, "FFTW could not plan a transform of %d points", n);
    }
    for (int i = 0; i < n; i++) {
        buf[i][0] = in[i];
        buf[i][1] = 0.0;
    }
    fftw_execute(fwd);
    int half = n / 2;
    for (int k = 1; k < n; k++) {
        double h;
        if (n % 2 == 0) h = k < half ? 2.0 : (k == half ? 1.0 : 0.0);
        else h = k <= half ? 2.0 : 0.0;
        buf[k][0] *= h;
        buf[k][1] *= h;
    }
    fftw_execute(inv);
    for (int i = 0; i < n; i++) out[i] = buf[i][1] / n; /* FFTW's inverse is unnormalised */
    pthread_mutex_lock(&planner_lock);
    fftw_destroy_plan(fwd);
    fftw_destroy_plan(inv);
    pthread_mutex_unlock(&planner_lock);
    fftw_free(buf);
    return DS_OK;
}
