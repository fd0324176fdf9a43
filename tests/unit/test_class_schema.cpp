#include <catch2/catch.hpp>

#include <slt/core/class_schema.hpp>

using slt::core::ClassSchema;

TEST_CASE("class schema: the SLT default has nine tissue classes plus artefact and unsure", "[schema]")
{
    const ClassSchema schema = ClassSchema::sltDefault();
    CHECK(schema.tissueClassCount() == 9);
    CHECK(schema.classes().size() == 11);
    REQUIRE(schema.byId(1));
    CHECK(schema.byId(1)->name == "Tumour");
    CHECK(schema.byId(8)->name == "Muscle");
    REQUIRE(schema.byKey("a"));
    CHECK(schema.byKey("a")->id == slt::core::kArtefactClass);
    CHECK(schema.byKey("U")->id == slt::core::kUnsureClass);
    CHECK(schema.byId(-1) == nullptr);
    CHECK(ClassSchema::countsAsLabelled(slt::core::kArtefactClass));
    CHECK_FALSE(ClassSchema::countsAsLabelled(slt::core::kUnsureClass));
    CHECK_FALSE(ClassSchema::countsAsLabelled(slt::core::kUnlabelledClass));
}

TEST_CASE("class schema: any number of tissue classes, with distinct generated colours", "[schema]")
{
    const ClassSchema three = ClassSchema::withTissueClasses(3);
    CHECK(three.tissueClassCount() == 3);
    CHECK(three.byId(2)->name == "Stroma");
    CHECK(three.byId(3) == nullptr);

    const ClassSchema many = ClassSchema::withTissueClasses(14);
    CHECK(many.byId(12)->name == "Class 12");
    CHECK(many.byId(12)->key.isEmpty());
    CHECK(many.byId(12)->colour != many.byId(13)->colour);
    CHECK(many.byId(12)->colour.size() == 7);
}

TEST_CASE("class schema: TOML round trip", "[schema]")
{
    const ClassSchema schema = ClassSchema::sltDefault();
    const auto reread = ClassSchema::fromToml(schema.toToml(), "schema.toml");
    REQUIRE(reread.ok());
    CHECK(*reread == schema);
}

TEST_CASE("class schema: bad TOML is refused with file:line:column", "[schema]")
{
    struct Case {
        const char* toml;
        const char* expected;
    };
    const Case cases[] = {
        {"[[class]]\nid = 0\nname = \"A\"\ncolour = \"#123456\"\n[[class]\nid = 1", "schema.toml:5:"},
        {"title = 1\n", "no [[class]] entries"},
        {"[[class]]\nname = \"A\"\ncolour = \"#123456\"\n", "schema.toml:1:1: [[class]] needs an integer 'id'"},
        {"[[class]]\nid = 0\ncolour = \"#123456\"\n", "needs a 'name'"},
        {"[[class]]\nid = 0\nname = \"A\"\ncolour = \"red\"\n", "needs 'colour' as \"#rrggbb\""},
        {"[[class]]\nid = 0\nname = \"A\"\ncolour = \"#123456\"\n[[class]]\nid = 0\nname = \"B\"\ncolour = \"#123456\"\n",
         "class id 0 appears twice"},
        {"[[class]]\nid = 0\nname = \"A\"\ncolour = \"#123456\"\n[[class]]\nid = 2\nname = \"B\"\ncolour = \"#123456\"\n",
         "1 is missing"},
        {"[[class]]\nid = -1\nname = \"A\"\ncolour = \"#123456\"\n", "reserved"},
        {"[[class]]\nid = -3\nname = \"A\"\ncolour = \"#123456\"\n", "no tissue class"},
        {"[[class]]\nid = 0\nkey = \"1\"\nname = \"A\"\ncolour = \"#123456\"\n[[class]]\nid = 1\nkey = \"1\"\nname = \"B\"\n"
         "colour = \"#123456\"\n",
         "key '1' is used by two classes"},
    };
    for (const Case& c : cases) {
        INFO(c.toml);
        const auto result = ClassSchema::fromToml(QString::fromUtf8(c.toml), "schema.toml");
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().contains(QString::fromUtf8(c.expected)));
    }
}
