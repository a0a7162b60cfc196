"""Ningguo (宁国市), 河沥溪街道: the rules of the "六定" 实施意见 (2021).

The text (003_7015e226fcf2d031.txt) organises a city's community workers into two types, 社区两委成员
and 社区后备干部 (第1条), and gives: entry conditions (第3条), a city-computed quota of posts per
community that a street may shift by at most one (第4条), the grid roles (第6条), a yearly
assessment in four grades with an 优秀 quota per community (第12条), five-year labour contracts
(第13条), the grounds for leaving and the retirement ages with a local extension for women party
secretaries (第14条), the reserve cadres' stepped pay (第15条), graded performance pay (第16条), and a
meal allowance and health checks (第17条). 两委 pay itself comes from 宁办发〔2019〕15号, which the
product does not hold: those amounts ship unset and a computation that needs them names them.
"""
