// memspice's N_Vector kernels (analysis/vector_ops) against SUNDIALS' own serial ones: same
// results on the same data, outputs that alias inputs included, and clones that inherit them.
#include "analysis/vector_ops.hpp"

#include <gtest/gtest.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>

#include <random>
#include <vector>

namespace {

using memspice::engine::useFastVectorOps;

class VectorOps : public ::testing::Test {
 protected:
  static constexpr sunindextype kLength = 37;  // odd, so vectorised loops have a remainder

  void SetUp() override { ASSERT_EQ(SUNContext_Create(nullptr, &ctx_), 0); }
  void TearDown() override {
    for (N_Vector v : made_) N_VDestroy(v);
    SUNContext_Free(&ctx_);
  }

  // A pair of vectors with the same random values: [0] SUNDIALS' kernels, [1] ours.
  std::pair<N_Vector, N_Vector> pair(double lo = -2, double hi = 2) {
    N_Vector ref = N_VNew_Serial(kLength, ctx_), fast = N_VNew_Serial(kLength, ctx_);
    useFastVectorOps(fast);
    std::uniform_real_distribution<double> u(lo, hi);
    for (sunindextype i = 0; i < kLength; ++i) NV_Ith_S(ref, i) = NV_Ith_S(fast, i) = u(rng_);
    made_.push_back(ref);
    made_.push_back(fast);
    return {ref, fast};
  }

  static void expectSame(N_Vector ref, N_Vector fast) {
    for (sunindextype i = 0; i < kLength; ++i) EXPECT_DOUBLE_EQ(NV_Ith_S(ref, i), NV_Ith_S(fast, i)) << "element " << i;
  }

  SUNContext ctx_ = nullptr;
  std::mt19937 rng_{7};
  std::vector<N_Vector> made_;
};

TEST_F(VectorOps, ElementwiseOperationsMatchSundials) {
  auto [xr, xf] = pair();
  auto [yr, yf] = pair(0.5, 3);  // nonzero: a divisor
  auto [zr, zf] = pair();
  N_VLinearSum(0.3, xr, -1.7, yr, zr);
  N_VLinearSum(0.3, xf, -1.7, yf, zf);
  expectSame(zr, zf);
  N_VLinearSum(1.0, xr, 2.0, zr, zr);  // output aliases an input, as IDA's corrector update does
  N_VLinearSum(1.0, xf, 2.0, zf, zf);
  expectSame(zr, zf);
  N_VProd(xr, yr, zr), N_VProd(xf, yf, zf);
  expectSame(zr, zf);
  N_VDiv(xr, yr, zr), N_VDiv(xf, yf, zf);
  expectSame(zr, zf);
  N_VScale(-4.0, xr, zr), N_VScale(-4.0, xf, zf);
  expectSame(zr, zf);
  N_VAbs(xr, zr), N_VAbs(xf, zf);
  expectSame(zr, zf);
  N_VInv(yr, zr), N_VInv(yf, zf);
  expectSame(zr, zf);
  N_VAddConst(xr, 0.25, zr), N_VAddConst(xf, 0.25, zf);
  expectSame(zr, zf);
  N_VCompare(1.0, xr, zr), N_VCompare(1.0, xf, zf);
  expectSame(zr, zf);
  N_VConst(3.5, zr), N_VConst(3.5, zf);
  expectSame(zr, zf);
}

TEST_F(VectorOps, ReductionsMatchSundials) {
  auto [xr, xf] = pair();
  auto [wr, wf] = pair(0.1, 2);
  auto [idr, idf] = pair(-1, 1);  // mask: about half positive
  EXPECT_DOUBLE_EQ(N_VDotProd(xr, wr), N_VDotProd(xf, wf));
  EXPECT_DOUBLE_EQ(N_VMaxNorm(xr), N_VMaxNorm(xf));
  EXPECT_DOUBLE_EQ(N_VWrmsNorm(xr, wr), N_VWrmsNorm(xf, wf));
  EXPECT_DOUBLE_EQ(N_VWrmsNormMask(xr, wr, idr), N_VWrmsNormMask(xf, wf, idf));
  EXPECT_DOUBLE_EQ(N_VMin(xr), N_VMin(xf));
  EXPECT_DOUBLE_EQ(N_VWL2Norm(xr, wr), N_VWL2Norm(xf, wf));
  EXPECT_DOUBLE_EQ(N_VL1Norm(xr), N_VL1Norm(xf));
  EXPECT_DOUBLE_EQ(N_VWSqrSumLocal(xr, wr), N_VWSqrSumLocal(xf, wf));
  EXPECT_DOUBLE_EQ(N_VWSqrSumMaskLocal(xr, wr, idr), N_VWSqrSumMaskLocal(xf, wf, idf));
  EXPECT_DOUBLE_EQ(N_VMinQuotient(xr, idr), N_VMinQuotient(xf, idf));
  // A mask that is all zero leaves nothing to divide by.
  N_VConst(0.0, idr), N_VConst(0.0, idf);
  EXPECT_DOUBLE_EQ(N_VMinQuotient(xr, idr), N_VMinQuotient(xf, idf));
  EXPECT_DOUBLE_EQ(N_VWrmsNormMask(xr, wr, idr), 0.0);
  EXPECT_DOUBLE_EQ(N_VWrmsNormMask(xf, wf, idf), 0.0);
}

TEST_F(VectorOps, TestsWithZerosAndConstraintsMatchSundials) {
  auto [xr, xf] = pair();
  auto [zr, zf] = pair();
  EXPECT_EQ(N_VInvTest(xr, zr), SUNTRUE);
  EXPECT_EQ(N_VInvTest(xf, zf), SUNTRUE);
  expectSame(zr, zf);
  NV_Ith_S(xr, 5) = NV_Ith_S(xf, 5) = 0.0;
  EXPECT_EQ(N_VInvTest(xr, zr), SUNFALSE);
  EXPECT_EQ(N_VInvTest(xf, zf), SUNFALSE);
  expectSame(zr, zf);
  // Constraints -2, -1, 0, 1, 2 in turn, against values of both signs and zero.
  auto [cr, cf] = pair();
  auto [mr, mf] = pair();
  for (sunindextype i = 0; i < kLength; ++i) NV_Ith_S(cr, i) = NV_Ith_S(cf, i) = static_cast<double>(i % 5) - 2;
  NV_Ith_S(xr, 7) = NV_Ith_S(xf, 7) = 0.0;  // i % 5 == 2: constraint 0
  NV_Ith_S(xr, 8) = NV_Ith_S(xf, 8) = 0.0;  // constraint 1: zero is allowed
  NV_Ith_S(xr, 9) = NV_Ith_S(xf, 9) = 0.0;  // constraint 2: zero breaks it
  EXPECT_EQ(N_VConstrMask(cr, xr, mr), N_VConstrMask(cf, xf, mf));
  expectSame(mr, mf);
  EXPECT_DOUBLE_EQ(NV_Ith_S(mf, 8), 0.0);
  EXPECT_DOUBLE_EQ(NV_Ith_S(mf, 9), 1.0);
}

TEST_F(VectorOps, FusedOperationsMatchSundials) {
  std::vector<N_Vector> Xr, Xf;
  for (int j = 0; j < 6; ++j) {
    auto [r, f] = pair();
    Xr.push_back(r), Xf.push_back(f);
  }
  std::vector<double> c{0.5, -1.25, 2.0, 0.125, -3.0, 1.5};
  for (int nvec : {1, 2, 3, 6}) {
    auto [zr, zf] = pair();
    ASSERT_EQ(N_VLinearCombination(nvec, c.data(), Xr.data(), zr), 0);
    ASSERT_EQ(N_VLinearCombination(nvec, c.data(), Xf.data(), zf), 0);
    for (sunindextype i = 0; i < kLength; ++i) EXPECT_NEAR(NV_Ith_S(zr, i), NV_Ith_S(zf, i), 1e-14) << nvec;
  }
  // The output as the first input, which SUNDIALS allows (IDA's predictor does it).
  std::vector<N_Vector> Yr(Xr.begin(), Xr.begin() + 4), Yf(Xf.begin(), Xf.begin() + 4);
  ASSERT_EQ(N_VLinearCombination(4, c.data(), Yr.data(), Xr[0]), 0);
  ASSERT_EQ(N_VLinearCombination(4, c.data(), Yf.data(), Xf[0]), 0);
  for (sunindextype i = 0; i < kLength; ++i) EXPECT_NEAR(NV_Ith_S(Xr[0], i), NV_Ith_S(Xf[0], i), 1e-14);
  auto [xr, xf] = pair();
  std::vector<N_Vector> Zr, Zf;
  for (int j = 0; j < 3; ++j) {
    auto [r, f] = pair();
    Zr.push_back(r), Zf.push_back(f);
  }
  ASSERT_EQ(N_VScaleAddMulti(3, c.data(), xr, Xr.data(), Zr.data()), 0);
  ASSERT_EQ(N_VScaleAddMulti(3, c.data(), xf, Xf.data(), Zf.data()), 0);
  for (int j = 0; j < 3; ++j) expectSame(Zr[static_cast<std::size_t>(j)], Zf[static_cast<std::size_t>(j)]);
  std::vector<double> dr(3), df(3);
  ASSERT_EQ(N_VDotProdMulti(3, xr, Xr.data(), dr.data()), 0);
  ASSERT_EQ(N_VDotProdMulti(3, xf, Xf.data(), df.data()), 0);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(dr[static_cast<std::size_t>(j)], df[static_cast<std::size_t>(j)], 1e-13);

  // Any other input as the output: SUNDIALS' fallback overwrites it before reading it; ours,
  // element by element, is still the combination.
  std::vector<double> expected(kLength);
  for (sunindextype i = 0; i < kLength; ++i)
    for (std::size_t j = 0; j < 3; ++j) expected[static_cast<std::size_t>(i)] += c[j] * NV_Ith_S(Xf[j], i);
  ASSERT_EQ(N_VLinearCombination(3, c.data(), Xf.data(), Xf[2]), 0);
  for (sunindextype i = 0; i < kLength; ++i) EXPECT_NEAR(NV_Ith_S(Xf[2], i), expected[static_cast<std::size_t>(i)], 1e-14);
}

TEST_F(VectorOps, ClonesInheritTheKernels) {
  auto [ref, fast] = pair();
  N_Vector clone = N_VClone(fast);
  made_.push_back(clone);
  EXPECT_EQ(clone->ops->nvlinearsum, fast->ops->nvlinearsum);
  EXPECT_EQ(clone->ops->nvwsqrsummasklocal, fast->ops->nvwsqrsummasklocal);
  EXPECT_NE(clone->ops->nvlinearsum, ref->ops->nvlinearsum);
  // Setting them on one vector leaves SUNDIALS' other vectors alone.
  N_Vector plain = N_VClone(ref);
  made_.push_back(plain);
  EXPECT_EQ(plain->ops->nvlinearsum, ref->ops->nvlinearsum);
}

}  // namespace
