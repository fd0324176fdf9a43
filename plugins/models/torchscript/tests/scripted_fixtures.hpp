// TorchScript modules for the plugin's tests, scripted and saved from C++ (no Python). Each function writes
// one module file to `path`; the header stays free of LibTorch so only scripted_fixtures.cpp pays for it.
#pragma once

#include <string>

namespace slt::torchscript::fixtures {

// forward(x) -> (logits [B, 3, H, W], features [B, 4, H/2, W/2]): a segmentation-style module.
void saveSegmentation(const std::string& path);
// forward(x) -> {"logits": [B, 3, H, W], "features": [B, 4, H, W]}.
void saveSegmentationDict(const std::string& path);
// forward(x) -> (logits [B, 3], pooled [B, 3]): a classifier-style module.
void saveClassifier(const std::string& path);
// forward(x) -> mean over pixels per channel [B, 3]: shows the normalised input through a softmax.
void saveChannelMeans(const std::string& path);
// A "Dropout" submodule (torch.dropout(x, 0.5, self.training)) inside; forward(x) -> (logits, features).
void saveWithDropout(const std::string& path);
// A "Dropout" submodule that ignores its training flag: declared stochastic, it is not.
void saveWithInertDropout(const std::string& path);
// forward(x) deterministic, mc_forward(x, seed: int) with dropout always on.
void saveWithMcForward(const std::string& path);
// Parameters only, no forward(): what saving weights alone gives.
void saveWeightsOnly(const std::string& path);
// forward(x) -> [B, 3, W]: neither [B, C, h, w] nor [B, C].
void saveWrongRank(const std::string& path);
// forward(x) -> logits [B, 3, H - 2, W - 2] (unpadded 3x3 convolution): no integer stride.
void saveUnpadded(const std::string& path);

// forward(x) -> logits [B, 3, H, W], failing an assert for tiles larger than 32 pixels.
void saveSizeLimited(const std::string& path);

} // namespace slt::torchscript::fixtures
