// SLT plugin SDK, C++ helpers: write a model as a C++ class.
//
//     class MyModel : public slt::sdk::Model {
//     public:
//         MyModel(const slt::sdk::Host& host, const std::string& config_toml);
//         slt::sdk::ModelInfo describe() override;
//         void load_checkpoint(const std::string& path) override;
//         void save_checkpoint(const std::string& path) override;
//         void train(...) override;                                  // optional
//         slt::sdk::PredictShape predict_shape(int64_t b, int64_t h, int64_t w, int32_t t) override;
//         void predict(const slt_array& images, int32_t t, uint64_t seed, slt_array& probs,
//                      slt_array* embeddings, const slt::sdk::Job& job) override;
//     };
// The trampoline checks images (u8 [B,H,W,3]) and that the output arrays have the shapes
// predict_shape() reports before predict() runs. Header-only.
#pragma once

#include "../model.h"
#include "error.hpp"
#include "host.hpp"
#include "job.hpp"
#include "plugin.hpp"
#include "schema.hpp"
#include "views.hpp"

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace slt::sdk {

struct ModelInfo {
    uint32_t capabilities = 0;
    std::string architecture;
    std::vector<ClassInfo> classes; // colours unused
    int32_t input_channels = 3;
    int32_t input_height = 0;
    int32_t input_width = 0;
    int32_t size_multiple = 1;
    int32_t output_stride = 1;
    int32_t embedding_dim = 0;
    int32_t embedding_stride = 1;
    int32_t default_mc_samples = 1;
};

struct PredictShape {
    std::vector<int64_t> probs;      // [T, B, C, h, w]
    std::vector<int64_t> embeddings; // [B, D, he, we] or empty
};

// The host's dataset. get() returns a sample that gives its buffers back when it goes out of scope.
class TrainData {
public:
    class Sample {
    public:
        Sample(const slt_train_dataset* ds, slt_train_sample s) : ds_(ds), s_(s) {}
        Sample(Sample&& o) noexcept : ds_(o.ds_), s_(o.s_) { o.ds_ = nullptr; }
        Sample(const Sample&) = delete;
        Sample& operator=(const Sample&) = delete;
        Sample& operator=(Sample&&) = delete;
        ~Sample()
        {
            if (ds_ && ds_->release) ds_->release(ds_, &s_);
        }
        const slt_train_sample& operator*() const { return s_; }
        const slt_train_sample* operator->() const { return &s_; }

    private:
        const slt_train_dataset* ds_;
        slt_train_sample s_;
    };

    explicit TrainData(const slt_train_dataset* ds) : ds_(ds) {}
    int64_t size() const { return ds_->size(ds_); }
    void begin_epoch(int32_t epoch) const
    {
        if (!ds_->begin_epoch) return;
        char message[512] = {0};
        slt_error err{message, sizeof message};
        const slt_status status = ds_->begin_epoch(ds_, epoch, &err);
        if (status != SLT_OK) throw Error(status, message);
    }
    Sample get(int64_t index) const
    {
        slt_train_sample s{};
        s.struct_size = sizeof s;
        char message[512] = {0};
        slt_error err{message, sizeof message};
        const slt_status status = ds_->get(ds_, index, &s, &err);
        if (status != SLT_OK) throw Error(status, message);
        return Sample(ds_, s);
    }

private:
    const slt_train_dataset* ds_;
};

// Reports finished epochs to the host; a no-op without an observer.
class EpochObserver {
public:
    explicit EpochObserver(const slt_train_observer* observer) : observer_(observer) {}
    void epoch_end(const slt_epoch_report& report) const
    {
        if (observer_ && observer_->epoch_end) observer_->epoch_end(observer_, &report);
    }

private:
    const slt_train_observer* observer_;
};

class Model {
public:
    virtual ~Model() = default;
    virtual ModelInfo describe() = 0;
    virtual void load_checkpoint(const std::string& path) = 0;
    virtual void save_checkpoint(const std::string& path) = 0;
    virtual void train(TrainData&, TrainData*, const slt_train_options&, const EpochObserver&, const Job&)
    {
        throw Error(SLT_ERR_UNSUPPORTED, "this model cannot be trained");
    }
    virtual PredictShape predict_shape(int64_t batch, int64_t height, int64_t width, int32_t mc_samples) = 0;
    virtual void predict(const slt_array& images, int32_t mc_samples, uint64_t seed, slt_array& probs,
                         slt_array* embeddings, const Job& job) = 0;
};

namespace detail {

struct ModelBox {
    std::unique_ptr<Model> model;
    ModelInfo info;
    CClasses classes;
};

inline ModelBox* as_box(slt_model* m) { return reinterpret_cast<ModelBox*>(m); }

inline void check_output(const slt_array* a, const std::vector<int64_t>& shape, const char* what)
{
    require(a != nullptr, what);
    check_array(*a, SLT_DTYPE_F32, static_cast<int32_t>(shape.size()), what);
    for (size_t i = 0; i < shape.size(); ++i)
        if (a->shape[i] != shape[i])
            throw Error(SLT_ERR_INVALID_ARGUMENT, std::string(what) + ": shape differs from predict_shape()");
    if (!slt_array_is_contiguous(a)) throw Error(SLT_ERR_INVALID_ARGUMENT, std::string(what) + ": must be contiguous");
}

template <class T>
struct ModelTable {
    static slt_status create(const slt_host* host, const char* config, slt_model** out, slt_error* err)
    {
        return guard(err, [&] {
            require(out != nullptr, "out is NULL");
            auto box = std::make_unique<ModelBox>();
            box->model = std::make_unique<T>(Host(host), config ? std::string(config) : std::string());
            *out = reinterpret_cast<slt_model*>(box.release());
        });
    }
    static void destroy(slt_model* model)
    {
        guard_silent([&] { delete as_box(model); });
    }
    static slt_status describe(slt_model* model, slt_model_info* out, slt_error* err)
    {
        return guard(err, [&] {
            require(model != nullptr && out != nullptr, "model or out is NULL");
            require(SLT_SDK_HAS_FIELD(out, slt_model_info, default_mc_samples), "info struct_size too small");
            ModelBox* box = as_box(model);
            box->info = box->model->describe();
            box->classes.assign(box->info.classes);
            const ModelInfo& i = box->info;
            const uint32_t size = out->struct_size;
            *out = slt_model_info{size, i.capabilities, i.architecture.c_str(),
                                  static_cast<int32_t>(i.classes.size()), box->classes.ids.data(),
                                  box->classes.names.pointers.data(), i.input_channels, i.input_height,
                                  i.input_width, i.size_multiple, i.output_stride, i.embedding_dim,
                                  i.embedding_stride, i.default_mc_samples};
        });
    }
    static slt_status load_checkpoint(slt_model* model, const char* path, slt_error* err)
    {
        return guard(err, [&] {
            require(model != nullptr && path != nullptr, "model or path is NULL");
            as_box(model)->model->load_checkpoint(path);
        });
    }
    static slt_status save_checkpoint(slt_model* model, const char* path, slt_error* err)
    {
        return guard(err, [&] {
            require(model != nullptr && path != nullptr, "model or path is NULL");
            as_box(model)->model->save_checkpoint(path);
        });
    }
    static slt_status train(slt_model* model, const slt_train_dataset* train, const slt_train_dataset* validation,
                            const slt_train_options* options, const slt_train_observer* observer,
                            const slt_job* job, slt_error* err)
    {
        return guard(err, [&] {
            require(model != nullptr && train != nullptr && options != nullptr, "an argument is NULL");
            require(train->size != nullptr && train->get != nullptr && train->release != nullptr,
                    "the dataset has a NULL callback");
            TrainData train_data(train);
            std::unique_ptr<TrainData> validation_data;
            if (validation) validation_data = std::make_unique<TrainData>(validation);
            as_box(model)->model->train(train_data, validation_data.get(), *options, EpochObserver(observer), Job(job));
        });
    }
    static slt_status predict_shape(slt_model* model, int64_t batch, int64_t height, int64_t width,
                                    int32_t mc_samples, slt_predict_shape* out, slt_error* err)
    {
        return guard(err, [&] {
            require(model != nullptr && out != nullptr, "model or out is NULL");
            require(batch >= 0 && height > 0 && width > 0 && mc_samples >= 1, "impossible size");
            const PredictShape shape = as_box(model)->model->predict_shape(batch, height, width, mc_samples);
            require(shape.probs.size() <= SLT_ARRAY_MAX_DIMS && shape.embeddings.size() <= SLT_ARRAY_MAX_DIMS,
                    "too many dimensions");
            const uint32_t size = out->struct_size;
            *out = slt_predict_shape{};
            out->struct_size = size;
            out->ndim_probs = static_cast<int32_t>(shape.probs.size());
            std::copy(shape.probs.begin(), shape.probs.end(), out->probs);
            out->ndim_embeddings = static_cast<int32_t>(shape.embeddings.size());
            std::copy(shape.embeddings.begin(), shape.embeddings.end(), out->embeddings);
        });
    }
    static slt_status predict(slt_model* model, const slt_array* images, int32_t mc_samples, uint64_t seed,
                              slt_array* out_probs,
                              slt_array* out_embeddings, const slt_job* job, slt_error* err)
    {
        return guard(err, [&] {
            require(model != nullptr && images != nullptr, "model or images is NULL");
            check_array(*images, SLT_DTYPE_U8, 4, "images");
            require(images->shape[3] == 3, "images must be RGB [B, H, W, 3]");
            Model& m = *as_box(model)->model;
            const PredictShape shape = m.predict_shape(images->shape[0], images->shape[1], images->shape[2], mc_samples);
            check_output(out_probs, shape.probs, "out_probs");
            if (out_embeddings) check_output(out_embeddings, shape.embeddings, "out_embeddings");
            m.predict(*images, mc_samples, seed, *out_probs, out_embeddings, Job(job));
        });
    }
    static constexpr slt_model_factory table = {
        sizeof(slt_model_factory), &create, &destroy, &describe, &load_checkpoint, &save_checkpoint,
        &train, &predict_shape, &predict};
};

} // namespace detail

template <class T>
struct KindTraits<T, std::enable_if_t<std::is_base_of_v<Model, T>>> {
    static constexpr const char* factory_id = SLT_MODEL_FACTORY_ID;
    static const void* table() { return &detail::ModelTable<T>::table; }
};

} // namespace slt::sdk
