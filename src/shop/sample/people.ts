/**
 * Customers of the sample shop: Chinese names, mobile numbers, e-mail addresses and delivery
 * addresses drawn from small tables of surnames, given-name characters and cities. Deterministic
 * for a given Rng. Contains no real person's data; the names and numbers are random.
 */
import type { Address, Customer } from '../types.js';
import { bj, DAY, iso } from './format.js';
import type { Rng } from './random.js';

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉婷雪琳晨宇浩然子涵梓轩欣怡思远博文雨桐佳琪一诺俊熙嘉怡晓峰志强建国海燕春梅文静若曦天佑可馨',
];

export interface CityInfo {
  province: string;
  city: string;
  districts: string[];
  hub: string;
}

export const CITIES: CityInfo[] = [
  { province: '北京市', city: '北京市', districts: ['朝阳区', '海淀区', '丰台区', '通州区'], hub: '北京' },
  { province: '上海市', city: '上海市', districts: ['浦东新区', '徐汇区', '闵行区', '杨浦区'], hub: '上海' },
  { province: '广东省', city: '广州市', districts: ['天河区', '越秀区', '番禺区', '白云区'], hub: '广州' },
  { province: '广东省', city: '深圳市', districts: ['南山区', '福田区', '宝安区', '龙岗区'], hub: '深圳' },
  { province: '浙江省', city: '杭州市', districts: ['西湖区', '余杭区', '滨江区', '拱墅区'], hub: '杭州' },
  { province: '江苏省', city: '南京市', districts: ['鼓楼区', '玄武区', '江宁区', '建邺区'], hub: '南京' },
  { province: '江苏省', city: '苏州市', districts: ['姑苏区', '工业园区', '吴中区'], hub: '苏州' },
  { province: '四川省', city: '成都市', districts: ['武侯区', '锦江区', '高新区', '青羊区'], hub: '成都' },
  { province: '湖北省', city: '武汉市', districts: ['洪山区', '武昌区', '江汉区', '江岸区'], hub: '武汉' },
  { province: '陕西省', city: '西安市', districts: ['雁塔区', '碑林区', '未央区'], hub: '西安' },
  { province: '重庆市', city: '重庆市', districts: ['渝中区', '江北区', '南岸区', '沙坪坝区'], hub: '重庆' },
  { province: '湖南省', city: '长沙市', districts: ['岳麓区', '天心区', '开福区'], hub: '长沙' },
  { province: '山东省', city: '青岛市', districts: ['市南区', '崂山区', '黄岛区'], hub: '青岛' },
  { province: '福建省', city: '厦门市', districts: ['思明区', '湖里区', '集美区'], hub: '厦门' },
  { province: '河南省', city: '郑州市', districts: ['金水区', '二七区', '中原区'], hub: '郑州' },
  { province: '天津市', city: '天津市', districts: ['和平区', '南开区', '河西区'], hub: '天津' },
  { province: '辽宁省', city: '沈阳市', districts: ['和平区', '沈河区', '浑南区'], hub: '沈阳' },
  { province: '云南省', city: '昆明市', districts: ['五华区', '盘龙区', '官渡区'], hub: '昆明' },
];

const ROADS = [
  '人民路',
  '中山路',
  '建设路',
  '解放路',
  '文化路',
  '和平路',
  '长江路',
  '新华路',
  '科技路',
  '滨江大道',
  '学院路',
  '青年路',
];
const PLACES = [
  '阳光花园',
  '金地小区',
  '万科城',
  '锦绣家园',
  '翠苑',
  '幸福里',
  '碧桂园',
  '绿城小区',
  '软件园',
  '世纪大厦',
];
const MAIL = ['qq.com', '163.com', '126.com', 'gmail.com', 'outlook.com', 'foxmail.com', 'sina.com'];
const PHONE_PREFIX = [
  '130',
  '131',
  '132',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '166',
  '176',
  '177',
  '180',
  '181',
  '186',
  '187',
  '188',
  '189',
  '199',
];

export function chineseName(rng: Rng): string {
  const given = rng.chance(0.6) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}

export function mobile(rng: Rng): string {
  return rng.pick(PHONE_PREFIX) + rng.digits(8);
}

/** '138****5678'. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(7)}`;
}

/** '张*' / '欧阳**'. */
export function maskName(name: string): string {
  return name.slice(0, 1) + '*'.repeat(Math.max(1, name.length - 1));
}

export function streetAddress(rng: Rng): string {
  return `${rng.pick(ROADS)}${rng.int(1, 999)}号${rng.pick(PLACES)}${rng.int(1, 30)}栋${rng.int(1, 28)}0${rng.int(1, 6)}室`;
}

export function randomAddress(rng: Rng, recipient: string, phone: string, isDefault: boolean): Address {
  const c = rng.pick(CITIES);
  return {
    recipient,
    phone,
    province: c.province,
    city: c.city,
    district: rng.pick(c.districts),
    detail: streetAddress(rng),
    isDefault,
  };
}

export function fullAddress(a: Address): string {
  const city = a.province === a.city ? a.city : `${a.province}${a.city}`;
  return `${city}${a.district}${a.detail}`;
}

export function randomEmail(rng: Rng): string {
  const user = rng.chance(0.4)
    ? rng.digits(rng.int(6, 10)).replace(/^0/, '1')
    : rng.letters(rng.int(4, 8)) + rng.digits(rng.int(0, 4));
  return `${user}@${rng.pick(MAIL)}`;
}

export function generateCustomers(rng: Rng, count: number): Customer[] {
  const customers: Customer[] = [];
  const phones = new Set<string>();
  const start = bj(2021, 1, 1);
  for (let i = 0; i < count; i++) {
    const name = chineseName(rng);
    let phone = mobile(rng);
    while (phones.has(phone)) phone = mobile(rng);
    phones.add(phone);
    const addresses: Address[] = [randomAddress(rng, name, phone, true)];
    if (rng.chance(0.3)) {
      const other = rng.chance(0.5) ? chineseName(rng) : name;
      addresses.push(randomAddress(rng, other, other === name ? phone : mobile(rng), false));
    }
    customers.push({
      id: `C${100001 + i}`,
      name,
      phone,
      email: randomEmail(rng),
      registeredAt: iso(start + rng.int(0, 1000) * DAY + rng.int(8, 22) * 3_600_000),
      addresses,
    });
  }
  return customers;
}
