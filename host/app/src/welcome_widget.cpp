#include "welcome_widget.hpp"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace slt::app {
namespace {

QLabel* paragraph(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

} // namespace

WelcomeWidget::WelcomeWidget(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("welcome"));
    auto* card = new QFrame(this);
    card->setObjectName(QStringLiteral("welcomeCard"));
    card->setMaximumWidth(760);

    auto* title = new QLabel(tr("Smart Labelling Tool"), card);
    title->setObjectName(QStringLiteral("welcomeTitle"));
    auto* subtitle = new QLabel(tr("Uncertainty-aware active learning for histopathology"), card);
    subtitle->setObjectName(QStringLiteral("welcomeSubtitle"));

    auto* what = paragraph(
        tr("SLT helps you label cells in histology images with as little effort as possible. A model "
           "marks candidate cells and says how sure it is about each one; SLT puts the uncertain ones "
           "in front of you, grouped so that similar cells can be labelled together from the keyboard. "
           "Every label is saved the moment you give it, and the next training round learns from it."),
        card);
    auto* plugins = paragraph(
        tr("Models, uncertainty metrics, samplers, memory banks and exporters are all <b>plugins</b>. "
           "Start by checking which ones this installation found and whether they work: "
           "<b>Tools ▸ Plugins…</b> lists each plugin with its state, explains any problem, and lets "
           "you change its settings."),
        card);

    m_summary = new QLabel(card);
    m_summary->setObjectName(QStringLiteral("welcomePluginSummary"));
    m_summary->setWordWrap(true);
    auto* openPlugins = new QPushButton(tr("Plugins…"), card);
    openPlugins->setObjectName(QStringLiteral("openPluginsButton"));
    openPlugins->setDefault(true);
    connect(openPlugins, &QPushButton::clicked, this, &WelcomeWidget::pluginsRequested);

    auto* actionRow = new QHBoxLayout;
    actionRow->addWidget(openPlugins);
    actionRow->addSpacing(12);
    actionRow->addWidget(m_summary, 1);

    auto* cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(36, 32, 36, 32);
    cardLayout->setSpacing(14);
    cardLayout->addWidget(title);
    cardLayout->addWidget(subtitle);
    cardLayout->addSpacing(8);
    cardLayout->addWidget(what);
    cardLayout->addWidget(plugins);
    cardLayout->addSpacing(8);
    cardLayout->addLayout(actionRow);

    // Centre the card and let the window's background show around it.
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(card, 4);
    row->addStretch(1);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(24, 24, 24, 24);
    outer->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);
}

void WelcomeWidget::setPluginSummary(const QString& summary, bool hasProblems)
{
    m_summary->setText(hasProblems ? tr("%1. Open the list to see what is wrong.").arg(summary)
                                   : tr("%1.").arg(summary));
}

} // namespace slt::app
