#include "scripted_fixtures.hpp"

#include <torch/script.h>

namespace slt::torchscript::fixtures {
namespace {

// A module with the `training` attribute every Python-scripted module has, and fixed random weights.
torch::jit::Module makeModule(const std::string& name)
{
    torch::jit::Module m(name);
    m.register_attribute("training", c10::BoolType::get(), false);
    return m;
}

torch::Tensor weights(std::vector<int64_t> shape, uint64_t seed)
{
    torch::manual_seed(seed);
    return torch::randn(shape) * 0.5;
}

void addSegmentationWeights(torch::jit::Module& m)
{
    m.register_parameter("w", weights({3, 3, 3, 3}, 1), false);
    m.register_parameter("b", weights({3}, 2), false);
    m.register_parameter("fw", weights({4, 3, 1, 1}, 3), false);
}

torch::jit::Module dropoutModule(const char* body)
{
    torch::jit::Module drop = makeModule("Dropout");
    drop.define(std::string("def forward(self, x):\n    return ") + body + "\n");
    return drop;
}

void withDropout(const std::string& path, const char* dropoutBody)
{
    torch::jit::Module m = makeModule("DropoutNet");
    m.register_parameter("fw", weights({4, 3, 1, 1}, 4), false);
    m.register_parameter("w", weights({3, 4, 1, 1}, 5), false);
    m.register_parameter("b", weights({3}, 6), false);
    m.register_module("drop", dropoutModule(dropoutBody));
    m.define(R"(
def forward(self, x):
    h = self.drop.forward(torch.relu(torch.conv2d(x, self.fw)))
    return (torch.conv2d(h, self.w, self.b), h)
)");
    m.save(path);
}

} // namespace

void saveSegmentation(const std::string& path)
{
    torch::jit::Module m = makeModule("Segmenter");
    addSegmentationWeights(m);
    m.define(R"(
def forward(self, x):
    logits = torch.conv2d(x, self.w, self.b, [1, 1], [1, 1])
    features = torch.avg_pool2d(torch.relu(torch.conv2d(x, self.fw)), [2, 2])
    return (logits, features)
)");
    m.save(path);
}

void saveSegmentationDict(const std::string& path)
{
    torch::jit::Module m = makeModule("DictSegmenter");
    addSegmentationWeights(m);
    m.define(R"(
def forward(self, x):
    out = {"logits": torch.conv2d(x, self.w, self.b, [1, 1], [1, 1]),
           "features": torch.relu(torch.conv2d(x, self.fw))}
    return out
)");
    m.save(path);
}

void saveClassifier(const std::string& path)
{
    torch::jit::Module m = makeModule("Classifier");
    m.register_parameter("w", weights({3, 3}, 7), false);
    m.register_parameter("b", weights({3}, 8), false);
    m.define(R"(
def forward(self, x):
    pooled = torch.mean(x, [2, 3])
    return (torch.linear(pooled, self.w, self.b), pooled)
)");
    m.save(path);
}

void saveChannelMeans(const std::string& path)
{
    torch::jit::Module m = makeModule("ChannelMeans");
    m.define(R"(
def forward(self, x):
    return torch.mean(x, [2, 3])
)");
    m.save(path);
}

void saveWithDropout(const std::string& path) { withDropout(path, "torch.dropout(x, 0.5, self.training)"); }

void saveWithInertDropout(const std::string& path) { withDropout(path, "x"); }

void saveWithMcForward(const std::string& path)
{
    torch::jit::Module m = makeModule("McNet");
    addSegmentationWeights(m);
    m.define(R"(
def forward(self, x):
    return torch.conv2d(x, self.w, self.b, [1, 1], [1, 1])

def mc_forward(self, x, seed: int):
    return torch.conv2d(torch.dropout(x, 0.3, True), self.w, self.b, [1, 1], [1, 1])
)");
    m.save(path);
}

void saveWeightsOnly(const std::string& path)
{
    torch::jit::Module m = makeModule("Weights");
    addSegmentationWeights(m);
    m.save(path);
}

void saveWrongRank(const std::string& path)
{
    torch::jit::Module m = makeModule("WrongRank");
    m.define(R"(
def forward(self, x):
    return torch.mean(x, [2])
)");
    m.save(path);
}

void saveUnpadded(const std::string& path)
{
    torch::jit::Module m = makeModule("Unpadded");
    addSegmentationWeights(m);
    m.define(R"(
def forward(self, x):
    return torch.conv2d(x, self.w, self.b)
)");
    m.save(path);
}

void saveSizeLimited(const std::string& path)
{
    torch::jit::Module m = makeModule("SizeLimited");
    addSegmentationWeights(m);
    m.define(R"(
def forward(self, x):
    assert x.size(2) <= 32, "tiles up to 32 pixels"
    return torch.conv2d(x, self.w, self.b, [1, 1], [1, 1])
)");
    m.save(path);
}

} // namespace slt::torchscript::fixtures
