// Version facts shown in Help ▸ About and in --version.
#pragma once

#include <slt/sdk/abi.h>

#include <QString>

namespace slt::app {

inline QString applicationVersion()
{
    return QStringLiteral(SLT_VERSION);
}

inline QString sdkAbiVersion()
{
    return QStringLiteral("%1.%2").arg(SLT_ABI_MAJOR).arg(SLT_ABI_MINOR);
}

} // namespace slt::app
