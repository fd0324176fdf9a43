// What every writing bank backend stamps on a new bank and checks on its attributes, so that all of them
// agree: a random RFC 4122 version-4 uuid, the creation time, and the attribute key alphabet.
#pragma once

#include <string>

namespace slt::banks {

// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" from the system's random device.
std::string new_uuid();

// The current UTC time as ISO 8601, "2026-01-31T12:00:00Z".
std::string now_utc();

// Attribute keys are non-empty and made of [a-z0-9_./-] (docs/bank-format.md, "Free-form text attributes").
bool is_valid_attribute_key(const std::string& key);

} // namespace slt::banks
