#include "training/focal_loss.hpp"

namespace slt::unet::training {

at::Tensor maskedFocalLoss(const at::Tensor& logits, const at::Tensor& target, const at::Tensor& sampleWeights,
                           const FocalLossOptions& options)
{
    const at::Tensor labelled = target.ge(0);                       // [B, H, W]
    const at::Tensor safeTarget = target.clamp_min(0).unsqueeze(1); // ignore -> class 0, masked below
    const at::Tensor logProbability = at::log_softmax(logits, 1).gather(1, safeTarget).squeeze(1);
    at::Tensor pixelLoss = -logProbability;
    if (options.gamma != 0.0) pixelLoss = pixelLoss * at::pow(1.0 - logProbability.exp(), options.gamma);
    if (options.classWeights) {
        const at::Tensor alpha = options.classWeights->to(logits.device(), pixelLoss.scalar_type());
        pixelLoss = pixelLoss * alpha.index_select(0, safeTarget.flatten()).view_as(pixelLoss);
    }
    pixelLoss = pixelLoss * labelled.to(pixelLoss.scalar_type());

    const at::Tensor labelledPerImage = labelled.sum({1, 2}).to(pixelLoss.scalar_type());
    at::Tensor imageLoss = pixelLoss.sum({1, 2}) / labelledPerImage.clamp_min(1.0);
    if (sampleWeights.defined()) imageLoss = imageLoss * sampleWeights.to(imageLoss.device());
    return imageLoss.mean();
}

} // namespace slt::unet::training
