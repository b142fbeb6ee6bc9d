"""Demo content for the organisation: the inside agents' skills (product groups, languages, key-account approval),
which route the queue's work (isf.planning.routing)."""

from isf.customers.models import ProductGroup
from isf.org.services import agent_skills_set

# agent (index into catalog.AGENTS, username id<n+1>) -> product group codes, languages, key-account approval
SKILLS = {
    0: (["DRL", "HYD", "ANT", "BEE"], ["de", "en"], True),     # Julia Hofmann, key accounts
    1: (["SWT", "KSS", "EWZ", "LAG"], ["de", "en", "fr"], True),  # Anna Schäfer, key accounts
    2: (["BEF", "DUE", "KLB"], ["de"], True),                   # Lukas Koch, stands in for the KA team
    3: (["ASH", "ASB", "ASK", "ASS"], ["de", "pl"], False),
    4: (["EWZ", "AKU", "MES"], ["de", "en"], False),
    5: (["ELI", "KAB", "LED"], ["de", "tr"], False),
    6: (["SAN", "HEI", "LUE"], ["de"], False),
    7: (["BCH", "ISO", "LEI"], ["de", "cs"], False),
    8: (["REI", "VPK", "KEN"], ["de", "en"], False),
    9: (["HWZ", "SAE", "SLM"], ["de", "it"], False),
}


def load(ctx) -> None:
    groups = {g.code: g for g in ProductGroup.objects.all()}
    for idx, (codes, languages, key_accounts) in SKILLS.items():
        agent = ctx.users.get(f"id{idx + 1}")
        if agent is None:
            continue
        agent_skills_set(agent=agent, product_groups=[groups[c] for c in codes if c in groups], languages=languages,
                         key_account_approved=key_accounts, actor=ctx.users.get("idl"))
    ctx.progress(f"skills of {len(SKILLS)} inside agents")
