"""Calibrated parameter values: written by `python -m sim calibrate --write`; do not edit by hand.

The fit plays `scenarios/trump_first_term.yml` and matches the first-term survey
moves listed in FIT.
"""

CALIBRATED = {'forgetting': 0.9429, 'weight_costly': 4.6484, 'opinion_speed': 0.0253}

FIT = {'data': 'first-term survey moves (Pew 2016-18 Japan; Lowy 2017-18 Australia) played by '
         'scenarios/trump_first_term.yml',
 'rmse_points': 2.73,
 'targets': [{'actor': 'JPN',
              'measure': 'trust',
              'date': '2017-05-01',
              'since': None,
              'survey': 0.57,
              'model': 0.5659,
              'source': 'Pew Global Attitudes spring 2017: 57% of Japanese favourable to the '
                        'US (72% in 2016)'},
             {'actor': 'JPN',
              'measure': 'trust',
              'date': '2018-05-01',
              'since': None,
              'survey': 0.67,
              'model': 0.6283,
              'source': 'Pew Global Attitudes spring 2018: 67% favourable, a rebound of 10 '
                        'points'},
             {'actor': 'AUS',
              'measure': 'trust',
              'date': '2018-03-01',
              'since': None,
              'survey': 0.55,
              'model': 0.5851,
              'source': 'Lowy Institute Poll 2018: 55% trust the US to act responsibly (61% in '
                        '2017, after the inauguration; the scenario assumes 70% before it)'},
             {'actor': 'AUS',
              'measure': 'alliance_support',
              'date': '2018-03-01',
              'since': '2017-03-01',
              'survey': -0.01,
              'model': -0.0095,
              'source': "Lowy Institute Poll: the alliance important to Australia's security "
                        '77% (2017) -> 76% (2018)'}],
 'replicates': 64,
 'seed': 20170120,
 'date': '2026-11-30'}
