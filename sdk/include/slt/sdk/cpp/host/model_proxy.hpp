// SLT plugin SDK, host-side C++ helpers: a model instance seen from the host. Header-only.
#pragma once

#include "../../model.h"
#include "result.hpp"

#include <string>
#include <utility>

namespace slt::sdk::host {

class ModelProxy {
public:
    static constexpr size_t kMinimumFactorySize = offsetof(slt_model_factory, predict) + sizeof(void*);

    static Result<ModelProxy> create(const void* raw, const slt_host* host, const std::string& config_toml = {})
    {
        auto table = detail::checked_table<slt_model_factory>(raw, kMinimumFactorySize, "model");
        if (!table) return table.status();
        const slt_model_factory* f = *table;
        if (!f->create || !f->destroy || !f->describe || !f->load_checkpoint || !f->save_checkpoint ||
            !f->train || !f->predict_shape || !f->predict)
            return Result<ModelProxy>::failure(SLT_ERR_INVALID_ARGUMENT, "model factory has a NULL function");
        ErrorBuffer err;
        slt_model* instance = nullptr;
        const slt_status code = f->create(host, config_toml.c_str(), &instance, err.get());
        if (code != SLT_OK) return err.status(code, "create");
        if (!instance) return Result<ModelProxy>::failure(SLT_ERR_INTERNAL, "create returned no model");
        return ModelProxy(f, instance);
    }

    ModelProxy(ModelProxy&& o) noexcept : f_(o.f_), m_(std::exchange(o.m_, nullptr)) {}
    ModelProxy& operator=(ModelProxy&& o) noexcept
    {
        std::swap(f_, o.f_);
        std::swap(m_, o.m_);
        return *this;
    }
    ModelProxy(const ModelProxy&) = delete;
    ModelProxy& operator=(const ModelProxy&) = delete;
    ~ModelProxy()
    {
        if (m_) f_->destroy(m_);
    }

    // Borrowed strings, valid until load_checkpoint or destruction.
    Result<slt_model_info> describe()
    {
        slt_model_info info{};
        info.struct_size = sizeof info;
        ErrorBuffer err;
        const slt_status code = f_->describe(m_, &info, err.get());
        if (code != SLT_OK) return err.status(code, "describe");
        return info;
    }
    Status load_checkpoint(const std::string& path)
    {
        ErrorBuffer err;
        return err.status(f_->load_checkpoint(m_, path.c_str(), err.get()), "load_checkpoint");
    }
    Status save_checkpoint(const std::string& path)
    {
        ErrorBuffer err;
        return err.status(f_->save_checkpoint(m_, path.c_str(), err.get()), "save_checkpoint");
    }
    Status train(const slt_train_dataset& train, const slt_train_dataset* validation, slt_train_options& options,
                 const slt_train_observer* observer = nullptr, const slt_job* job = nullptr)
    {
        options.struct_size = sizeof options;
        ErrorBuffer err;
        return err.status(f_->train(m_, &train, validation, &options, observer, job, err.get()), "train");
    }
    Result<slt_predict_shape> predict_shape(int64_t batch, int64_t height, int64_t width, int32_t mc_samples)
    {
        slt_predict_shape shape{};
        shape.struct_size = sizeof shape;
        ErrorBuffer err;
        const slt_status code = f_->predict_shape(m_, batch, height, width, mc_samples, &shape, err.get());
        if (code != SLT_OK) return err.status(code, "predict_shape");
        if (shape.ndim_probs < 0 || shape.ndim_probs > SLT_ARRAY_MAX_DIMS || shape.ndim_embeddings < 0 ||
            shape.ndim_embeddings > SLT_ARRAY_MAX_DIMS)
            return Result<slt_predict_shape>::failure(SLT_ERR_INTERNAL, "predict_shape: impossible ndim");
        return shape;
    }
    Status predict(const slt_array& images, int32_t mc_samples, uint64_t seed, slt_array& probs,
                   slt_array* embeddings = nullptr,
                   const slt_job* job = nullptr)
    {
        ErrorBuffer err;
        return err.status(f_->predict(m_, &images, mc_samples, seed, &probs, embeddings, job, err.get()), "predict");
    }

private:
    ModelProxy(const slt_model_factory* f, slt_model* m) : f_(f), m_(m) {}
    const slt_model_factory* f_;
    slt_model* m_;
};

} // namespace slt::sdk::host
