// Masked focal loss on point-label targets (SPEC M3; Lin et al. 2017, as in the original SLT).
//
// Per labelled pixel with true class k: alpha_k * (1 - p_k)^gamma * (-ln p_k), p = softmax(logits).
// Each image's loss is the mean over its labelled pixels (0 when it has none), multiplied by its
// sample weight; the batch loss is the mean over the images of the batch. With gamma = 0 and no
// class weights this is the masked cross-entropy. Unlabelled pixels (target < 0) contribute
// nothing, not even to the denominators.
#pragma once

#include <ATen/ATen.h>

#include <optional>

namespace slt::unet::training {

struct FocalLossOptions {
    double gamma = 2.0;
    std::optional<at::Tensor> classWeights; // float [C] (alpha), or none = 1 for every class
};

// logits float [B, C, H, W]; target int64 [B, H, W] with class indices or kIgnorePixel;
// sampleWeights float [B] or undefined (= 1). Returns a differentiable scalar.
at::Tensor maskedFocalLoss(const at::Tensor& logits, const at::Tensor& target, const at::Tensor& sampleWeights,
                           const FocalLossOptions& options);

} // namespace slt::unet::training
