"""Russian words for the API's fixed sets, and what a family does next in each state."""
from __future__ import annotations

DIRECTIONS = {
    "technical": "Техническая", "natural_science": "Естественнонаучная", "physical_sports": "Физкультурно-спортивная",
    "artistic": "Художественная", "tourism_local_history": "Туристско-краеведческая",
    "social_humanitarian": "Социально-гуманитарная",
}
LEVELS = {"starting": "Стартовый", "basic": "Базовый", "advanced": "Продвинутый"}
FORMS = {"in_person": "Очно", "distance": "Дистанционно", "network": "Сетевая форма"}
WEEKDAYS = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"]
WEEKDAYS_SHORT = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
AGE_BANDS = {"3-6": "3–6 лет", "7-10": "7–10 лет", "11-14": "11–14 лет", "15-18": "15–18 лет"}
SORTS = {"relevance": "По совпадению", "rating": "По оценке", "start": "По началу занятий"}

CERTIFICATE_STATUS = {
    "pending_verification": "Ждёт проверки документов", "active": "Действует",
    "suspended": "Приостановлен", "closed": "Закрыт",
}
CERTIFICATE_NEXT = {
    "pending_verification": "Принесите паспорт родителя, свидетельство о рождении и СНИЛС ребёнка в муниципальный "
                            "опорный центр. Оператор проверит документы и активирует сертификат; мы пришлём "
                            "уведомление. Пока сертификат ждёт проверки, заявку подать можно — оплату подтвердят "
                            "после активации.",
    "active": "Сертификатом можно оплачивать занятия: найдите программу в каталоге и подайте заявку.",
    "suspended": "Новые заявки сертификатом не оплачиваются. Обратитесь в муниципальный опорный центр.",
    "closed": "Сертификат больше не действует.",
}
APPLICATION_STATUS = {
    "submitted": "Подана", "waitlisted": "В очереди", "offered": "Предложено место", "accepted": "Принята",
    "awaiting_signature": "Ждёт подписи договора", "enrolled": "Ребёнок зачислен", "rejected": "Отклонена",
    "cancelled": "Отозвана", "expired": "Закрыта по сроку",
}
APPLICATION_NEXT = {
    "submitted": "Организатор рассмотрит заявку до {decide_by}. Мы пришлём уведомление о решении.",
    "waitlisted": "Мест в группе нет — заявка в очереди. Когда место освободится, мы предложим его вам.",
    "offered": "Освободилось место. Подтвердите его до {offered_until}, иначе оно перейдёт следующему в очереди.",
    "accepted": "Заявка принята. Резервируем средства сертификата — скоро договор-оферта будет готов к подписи.",
    "awaiting_signature": "Договор-оферта готов: прочитайте и подпишите его.",
    "enrolled": "Договор подписан, ребёнок зачислен в группу.",
    "rejected": "Организатор отклонил заявку.", "cancelled": "Заявка отозвана.",
    "expired": "Заявка закрыта: решение или подтверждение не пришло вовремя.",
}
CANCELLABLE = {"submitted", "waitlisted", "offered", "accepted", "awaiting_signature"}
CONTRACT_STATUS = {
    "draft": "Готовится: резервируем средства", "offered": "Оферта ждёт подписи", "signed": "Подписан",
    "terminated": "Расторгнут", "void": "Не заключён",
}
PAYMENT = {
    "certificate": "По сертификату", "free": "Бесплатно (бюджетное место)", "family": "Платит семья",
    "impossible": "Записаться нельзя",
}
RULES = {"full_month": "вся доля месяца при любом посещении", "attended_share": "по доле посещённых занятий"}
DISPUTE_STATUS = {
    "awaiting_provider": "Ждёт ответа организатора", "awaiting_operator": "Ждёт решения оператора",
    "resolved": "Решён", "withdrawn": "Отозван",
}
DISPUTE_STEP = {
    "opened": "Спор открыт", "agreed_in_full": "Организатор согласился полностью",
    "agreed_in_part": "Организатор согласился частично", "disagreed": "Организатор не согласился",
    "decided": "Решение оператора", "withdrawn": "Спор отозван", "reversal_confirmed": "Деньги вернулись на сертификат",
}
LEDGER_KIND = {
    "credit": "Зачисление", "expire": "Сгорание остатка", "reserve": "Резерв под договор",
    "release": "Возврат из резерва", "debit": "Списание", "reversal": "Возврат по спору",
}

# The staff cabinets
# A long run's state in the progress line: a period's run, or a month close's steps.
RUN_STATUS = {"queued": "в очереди", "running": "выполняется", "done": "завершено", "failed": "не удалось",
              "closing": "закрывается", "closed": "закрыт", "requested": "запрошено",
              "charging": "начисляются списания", "posting": "списания отправляются",
              "posted": "ждём подтверждения списаний"}
PROVIDER_STATUS = {"submitted": "Заявка на рассмотрении", "approved": "В реестре", "rejected": "Отклонён",
                   "suspended": "Приостановлен", "excluded": "Исключён из реестра"}
PROGRAM_STATUS = {"draft": "Черновик", "published": "Опубликована", "unpublished": "Снята с публикации"}

# The municipal operator's cabinet
MONTH_CLOSE_STATUS = {"charging": "Начисляются списания", "posting": "Списания отправляются в реестр",
                      "posted": "Ждём подтверждения списаний", "closed": "Закрыт, счета выставлены",
                      "not_requested": "Закрытие не запрашивалось"}
PERIOD_STATUS = {"draft": "Черновик: параметры можно менять", "open": "Открыт", "closed": "Закрыт"}
RUN_KIND = {"period_open": "Открытие периода", "period_close": "Закрытие периода",
            "close_adults": "Закрытие сертификатов взрослых"}
CERTIFICATE_KIND = {"accounting": "Сертификат учёта", "funded": "Сертификат финансирования"}
CLOSE_REASONS = {"turned_18": "Ребёнку исполнилось 18 лет", "moved": "Переехал из муниципалитета",
                 "duplicate": "Выдан повторно по ошибке"}
NOMINAL_CATEGORY = {"general": "Все дети", "ovz": "Дети с ОВЗ"}
PROVIDER_KIND = {"municipal": "Муниципальная организация", "state": "Государственная организация",
                 "private": "Частная организация", "individual_entrepreneur": "Индивидуальный предприниматель"}
PROVIDER_CHANGE = {"submit": "Заявка подана", "approve": "Допущен в реестр", "reject": "Заявка отклонена",
                   "suspend": "Приостановлен", "reinstate": "Восстановлен", "exclude": "Исключён из реестра",
                   "agreement": "Соглашение об оплате", "payment_agreement": "Договор об оплате",
                   "add_venue": "Добавлена площадка"}
DOCUMENTS_TO_CHECK = {"doc_passport": "Паспорт родителя", "doc_birth": "Свидетельство о рождении ребёнка",
                      "doc_snils": "СНИЛС ребёнка"}
# The regional operator's cabinet (also PROVIDER_KIND, PROVIDER_CHANGE, PERIOD_STATUS above)
# What the regional operator may do in each provider's status: action, button, whether a reason is required.
PROVIDER_DECISIONS = {
    "submitted": [("approve", "Допустить в реестр", False), ("reject", "Отклонить заявку", True)],
    "approved": [("suspend", "Приостановить", True), ("exclude", "Исключить из реестра", True)],
    "suspended": [("reinstate", "Восстановить", False), ("exclude", "Исключить из реестра", True)],
}
PROVIDER_DONE = {"approve": "Поставщик допущен в реестр.", "reject": "Заявка поставщика отклонена.",
                 "suspend": "Поставщик приостановлен.", "reinstate": "Поставщик восстановлен в реестре.",
                 "exclude": "Поставщик исключён из реестра."}
REGISTERS = {"certified": "Сертифицированные (оплата сертификатом)", "significant": "Социально значимые",
             "preprofessional": "Предпрофессиональные", "other": "Иные бесплатные (бюджетные)"}
FREE_REGISTERS = ("significant", "preprofessional", "other")  # the registers of free (budget) programs

# The provider cabinet
PROVIDER_STATUS_NEXT = {
    "submitted": "Региональный оператор рассматривает заявку на включение в реестр. Программы можно готовить "
                 "черновиками; опубликовать их можно после допуска.",
    "approved": "Организация в реестре: публикуйте программы, принимайте заявки семей, отмечайте посещаемость, "
                "запрашивайте аванс.",
    "rejected": "Заявку на включение в реестр отклонили. Исправьте то, что указано в причине, и обратитесь к "
                "региональному оператору.",
    "suspended": "Работа в реестре приостановлена: программы не видны в каталоге, новые заявки не принимаются. "
                 "Устраните причину и обратитесь к региональному оператору.",
    "excluded": "Организация исключена из реестра окончательно: публиковать программы и принимать заявки нельзя.",
}
PROGRAM_STATUS_NEXT = {
    "draft": "Черновик не виден в каталоге. Проверьте модули и опубликуйте программу, затем добавьте группы.",
    "published": "Программа в каталоге: семьи подают заявки в её группы с открытым набором.",
    "unpublished": "Набор закрыт: программы нет в каталоге, новые заявки не принимаются; поданные заявки, группы "
                   "и договоры продолжаются. «Опубликовать» открывает набор снова.",
}
INBOX_STATUSES = ["submitted", "waitlisted", "offered", "accepted", "awaiting_signature", "enrolled", "rejected",
                  "cancelled", "expired"]
DISPUTE_ANSWER = {"agree_full": "Согласиться полностью: вернуть всё оспоренное",
                  "agree_part": "Согласиться частично: вернуть часть",
                  "disagree": "Не согласиться: спор решит оператор муниципалитета"}
