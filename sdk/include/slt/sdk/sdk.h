/* SLT plugin SDK: every C header at once. */
#ifndef SLT_SDK_SDK_H
#define SLT_SDK_SDK_H

#include "abi.h"
#include "array.h"
#include "bank.h"
#include "exporter.h"
#include "host.h"
#include "job.h"
#include "metric.h"
#include "model.h"
#include "sampler.h"

#endif /* SLT_SDK_SDK_H */
