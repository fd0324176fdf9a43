// The main window's central page until a project is open: what SLT is and what to do next.
#pragma once

#include <QWidget>

class QLabel;

namespace slt::app {

class WelcomeWidget : public QWidget {
    Q_OBJECT
public:
    explicit WelcomeWidget(QWidget* parent = nullptr);

    // The plugin summary line, e.g. "5 plugins active, 2 with problems".
    void setPluginSummary(const QString& summary, bool hasProblems);

Q_SIGNALS:
    void pluginsRequested();

private:
    QLabel* m_summary = nullptr;
};

} // namespace slt::app
