// Bad input: probe of files that are not banks, newer format versions, missing datasets, truncated and
// corrupted files. Every case gives a status and a message, never a crash, and leaves the file untouched.
#include "bank_test_support.hpp"

#include <catch2/catch.hpp>
#include <hdf5.h>

#include <fstream>

using namespace bank_test;

namespace {

const std::vector<std::string> kImages = {"a.svs", "b.svs"};

fs::path small_bank(const TempDir& dir, const std::string& name = "bank.h5")
{
    const Shape shape;
    Points p = Points::make(shape, 200, 2, 21);
    write_bank(dir.file(name), shape, kImages, p, 64);
    return dir.file(name);
}

void write_text(const fs::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

// An HDF5 file shaped like a bank of the original Python SLT (rgb_images, logits, filenames, bald, and
// the attribute last_written_index), which the legacy plugin claims, not this one.
void write_legacy_like(const fs::path& path)
{
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const hsize_t image_dims[4] = {2, 4, 4, 3};
    const hid_t space = H5Screate_simple(4, image_dims, nullptr);
    const hid_t images = H5Dcreate2(file, "rgb_images", H5T_STD_U8LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t logit_dims[4] = {2, 4, 4, 9};
    const hid_t logit_space = H5Screate_simple(4, logit_dims, nullptr);
    const hid_t logits = H5Dcreate2(file, "logits", H5T_IEEE_F32LE, logit_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t scalar = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(file, "last_written_index", H5T_STD_I64LE, scalar, H5P_DEFAULT, H5P_DEFAULT);
    const int64_t written = 2;
    H5Awrite(attr, H5T_NATIVE_INT64, &written);
    for (hid_t id : {attr}) H5Aclose(id);
    for (hid_t id : {images, logits}) H5Dclose(id);
    for (hid_t id : {space, logit_space, scalar}) H5Sclose(id);
    REQUIRE(H5Fclose(file) >= 0);
}

void set_root_int(const fs::path& path, const char* name, int64_t value)
{
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
    REQUIRE(attr >= 0);
    REQUIRE(H5Awrite(attr, H5T_NATIVE_INT64, &value) >= 0);
    H5Aclose(attr);
    REQUIRE(H5Fclose(file) >= 0);
}

void delete_link(const fs::path& path, const char* name)
{
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    REQUIRE(H5Ldelete(file, name, H5P_DEFAULT) >= 0);
    REQUIRE(H5Fclose(file) >= 0);
}

// Opening fails with a message, probe does not crash, and the file's bytes are unchanged.
slt::sdk::host::Status open_fails(const fs::path& path, slt_bank_mode mode = SLT_BANK_READ)
{
    const auto before = read_bytes(path);
    BankProxy::probe(table(), path.string());
    auto bank = BankProxy::open(factory(), nullptr, path.string(), mode);
    REQUIRE_FALSE(bank.ok());
    CHECK_FALSE(bank.message().empty());
    CHECK(read_bytes(path) == before);
    return bank.status();
}

} // namespace

TEST_CASE("probe is 1 for a bank and 0 for anything else")
{
    TempDir dir;
    const slt_bank_factory* f = table();
    CHECK(BankProxy::probe(f, small_bank(dir).string()) == 1.0f);
    write_text(dir.file("text.h5"), "this is not an HDF5 file at all, just some text");
    CHECK(BankProxy::probe(f, dir.file("text.h5")) == 0.0f);
    write_text(dir.file("empty.h5"), "");
    CHECK(BankProxy::probe(f, dir.file("empty.h5")) == 0.0f);
    fs::create_directory(dir.file("folder.h5"));
    CHECK(BankProxy::probe(f, dir.file("folder.h5")) == 0.0f);
    CHECK(BankProxy::probe(f, dir.file("missing.h5")) == 0.0f);
    write_legacy_like(dir.file("legacy.h5"));
    CHECK(BankProxy::probe(f, dir.file("legacy.h5")) == 0.0f);
}

TEST_CASE("files that are not banks are refused with a message")
{
    TempDir dir;
    write_text(dir.file("text.h5"), "this is not an HDF5 file at all, just some text");
    auto status = open_fails(dir.file("text.h5"));
    CHECK(status.code == SLT_ERR_FORMAT);
    CHECK_THAT(status.message, Catch::Contains("not an HDF5 file"));

    write_text(dir.file("empty.h5"), "");
    CHECK(open_fails(dir.file("empty.h5")).code == SLT_ERR_FORMAT);

    write_legacy_like(dir.file("legacy.h5"));
    status = open_fails(dir.file("legacy.h5"), SLT_BANK_APPEND);
    CHECK(status.code == SLT_ERR_FORMAT);
    CHECK_THAT(status.message, Catch::Contains("not an SLT bank"));

    fs::create_directory(dir.file("folder.h5"));
    auto bank = BankProxy::open(factory(), nullptr, dir.file("folder.h5"), SLT_BANK_READ);
    CHECK(bank.status().code == SLT_ERR_IO);
    CHECK_THAT(bank.message(), Catch::Contains("directory"));
    bank = BankProxy::open(factory(), nullptr, dir.file("missing.h5"), SLT_BANK_READ);
    CHECK(bank.status().code == SLT_ERR_IO);
    CHECK_THAT(bank.message(), Catch::Contains("no such file"));
}

TEST_CASE("a newer format version is refused, naming both versions")
{
    TempDir dir;
    const fs::path path = small_bank(dir);
    set_root_int(path, "format_version", 2);
    CHECK(BankProxy::probe(table(), path.string()) == 1.0f); // ours, so open() can explain
    const auto status = open_fails(path);
    CHECK(status.code == SLT_ERR_FORMAT);
    CHECK_THAT(status.message, Catch::Contains("format version 2") && Catch::Contains("format version 1"));
}

TEST_CASE("a missing dataset is refused with its name")
{
    TempDir dir;
    for (const char* name : {"points/embeddings", "points/x", "crops/offsets", "images/names", "classes/names"}) {
        const fs::path path = small_bank(dir, std::string(name).replace(std::string(name).find('/'), 1, "-") + ".h5");
        delete_link(path, name);
        const auto status = open_fails(path);
        CHECK(status.code == SLT_ERR_FORMAT);
        CHECK_THAT(status.message, Catch::Contains(std::string("missing dataset '/") + name + "'"));
    }
}

TEST_CASE("a point count beyond the stored rows is refused")
{
    TempDir dir;
    const fs::path path = small_bank(dir);
    set_root_int(path, "num_points", 5000);
    const auto status = open_fails(path);
    CHECK(status.code == SLT_ERR_FORMAT);
    CHECK_THAT(status.message, Catch::Contains("5000"));
}

TEST_CASE("creating over an existing file is refused and leaves it untouched")
{
    TempDir dir;
    write_text(dir.file("keep.h5"), "precious");
    MetadataHolder holder{Shape{}};
    auto bank = BankProxy::open(factory(), nullptr, dir.file("keep.h5"), SLT_BANK_CREATE, &holder.meta);
    CHECK(bank.status().code == SLT_ERR_IO);
    CHECK_THAT(bank.message(), Catch::Contains("already exists"));
    CHECK(std::string(read_bytes(dir.file("keep.h5")).data(), 8) == "precious");

    holder.meta.num_classes = 0;
    bank = BankProxy::open(factory(), nullptr, dir.file("new.h5"), SLT_BANK_CREATE, &holder.meta);
    CHECK(bank.status().code == SLT_ERR_INVALID_ARGUMENT);
    CHECK_FALSE(fs::exists(dir.file("new.h5")));
}

TEST_CASE("a truncated bank gives an error, not a crash")
{
    TempDir dir;
    const fs::path path = small_bank(dir);
    const auto size = fs::file_size(path);
    for (double fraction : {0.9, 0.5, 0.1, 0.01}) {
        const fs::path cut = dir.file("cut-" + std::to_string(fraction) + ".h5");
        fs::copy_file(path, cut);
        fs::resize_file(cut, static_cast<uintmax_t>(static_cast<double>(size) * fraction));
        const auto status = open_fails(cut);
        INFO(status.message);
        CHECK(status.code == SLT_ERR_FORMAT);
    }
}

TEST_CASE("flipped bytes in the superblock give an error, not a crash")
{
    TempDir dir;
    const fs::path path = small_bank(dir);
    const auto original = read_bytes(path);
    for (size_t offset : {0, 3, 8, 9, 10, 12, 20, 28, 36, 44}) {
        auto bytes = original;
        bytes[offset] = static_cast<char>(bytes[offset] ^ 0x5a);
        const fs::path broken = dir.file("flip-" + std::to_string(offset) + ".h5");
        std::ofstream(broken, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        const auto status = open_fails(broken);
        INFO("offset " << offset << ": " << status.message);
        CHECK(status.code == SLT_ERR_FORMAT);
    }
}
