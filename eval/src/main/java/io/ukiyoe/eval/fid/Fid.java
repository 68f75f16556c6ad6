package io.ukiyoe.eval.fid;

import io.ukiyoe.core.UserError;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fréchet Inception Distance: {@code |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr(sqrt(S1 S2))}.
 *
 * <p>{@code tr(sqrt(S1 S2))} is computed stably from symmetric matrices only: with {@code S1 = V D V'}
 * (EJML's symmetric eigen-decomposition), {@code R = V sqrt(D) V'} and {@code tr(sqrt(S1 S2)) =
 * sum sqrt(eig(R S2 R))}, since {@code S1 S2} is similar to the symmetric PSD {@code R S2 R}. This avoids
 * scipy's general {@code sqrtm} (complex Schur, the "imaginary component" failures of rank-deficient
 * covariances); rounding-level negative eigenvalues are clamped to 0.
 */
public final class Fid {
    private Fid() {}

    public static double distance(FeatureStats a, FeatureStats b) {
        if (a.dims() != b.dims()) {
            throw new UserError("FID statistics of different feature sizes: " + a.dims() + " and " + b.dims());
        }
        int d = a.dims();
        double meanTerm = 0;
        double traces = 0;
        for (int i = 0; i < d; i++) {
            double diff = a.mu()[i] - b.mu()[i];
            meanTerm += diff * diff;
            traces += a.sigma()[i * d + i] + b.sigma()[i * d + i];
        }
        return meanTerm + traces - 2 * traceSqrtProduct(a.sigma(), b.sigma(), d);
    }

    /** {@code tr(sqrt(S1 S2))} for symmetric PSD {@code S1}, {@code S2} (row-major d x d). */
    static double traceSqrtProduct(double[] s1, double[] s2, int d) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(new DMatrixRMaj(d, d, true, s1))) {
            throw new IllegalStateException("eigen-decomposition of the first covariance did not converge");
        }
        INDArray v = Nd4j.create(DataType.DOUBLE, d, d);
        double[] sqrtEig = new double[d];
        for (int k = 0; k < d; k++) {
            sqrtEig[k] = Math.sqrt(Math.max(eig.getEigenvalue(k).getReal(), 0));
            DMatrixRMaj vec = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                v.putScalar(i, k, vec.get(i, 0));
            }
        }
        INDArray root = v.mulRowVector(Nd4j.createFromArray(sqrtEig)).mmul(v.transpose());
        INDArray m = root.mmul(Nd4j.create(s2, new long[] {d, d}, DataType.DOUBLE)).mmul(root);
        m = m.add(m.transpose()).muli(0.5);                 // symmetric up to rounding: make it exactly so
        EigenDecomposition_F64<DMatrixRMaj> values = DecompositionFactory_DDRM.eig(d, false, true);
        if (!values.decompose(new DMatrixRMaj(d, d, true, m.reshape(-1).toDoubleVector()))) {
            throw new IllegalStateException("eigen-decomposition of sqrt(S1) S2 sqrt(S1) did not converge");
        }
        double trace = 0;
        for (int k = 0; k < d; k++) {
            trace += Math.sqrt(Math.max(values.getEigenvalue(k).getReal(), 0));
        }
        return trace;
    }
}
